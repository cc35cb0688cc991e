// The shared setup of the SDK-client capture tests: the in-memory SDK, a replay server, the
// fetch capture installed, and (optionally) a real SDK client pointed at the server.
// Registers its own vitest hooks; read the fields inside tests (they are set in beforeAll).
import { afterAll, afterEach, beforeAll } from "vitest";
import { installFetchCapture } from "../../../src/capture/index.js";
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from "@jotty/test-kit/replay-server";
import { setUpTracing, type Tracing } from "./tracing.js";

export interface CaptureEnv<Client> {
  readonly tracing: Tracing;
  readonly server: ReplayServer;
  readonly client: Client;
  /** Runs `app` with the capture uninstalled (the reference run for "the app sees the same"). */
  withoutCapture<T>(app: () => Promise<T>): Promise<T>;
}

export interface CaptureEnvOptions {
  /** The replay server's options, made at test time (a TLS certificate). */
  server?: () => Promise<ReplayServerOptions>;
  /** Record message content (default false, as OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT). */
  captureContent?: boolean;
}

export interface ReplayTracing {
  readonly tracing: Tracing;
  readonly server: ReplayServer;
}

/**
 * The in-memory SDK and a replay server for a test file, with its vitest hooks (spans reset
 * after each test); `afterStart` runs once both are up, `beforeStop` before they go down.
 */
export function useReplayTracing(options: CaptureEnvOptions & { afterStart?: (env: ReplayTracing) => void; beforeStop?: () => void } = {}): ReplayTracing {
  const env = {} as { tracing: Tracing; server: ReplayServer };
  beforeAll(async () => {
    env.tracing = setUpTracing();
    env.server = await startReplayServer(await options.server?.());
    options.afterStart?.(env);
  });
  afterAll(async () => {
    options.beforeStop?.();
    await env.server.close();
    await env.tracing.shutdown();
  });
  afterEach(() => env.tracing.reset());
  return env;
}

export function useCaptureEnv<Client = undefined>(makeClient?: (baseUrl: string) => Client, options: CaptureEnvOptions = {}): CaptureEnv<Client> {
  let uninstall: () => void = () => {};
  let client: Client;
  const install = () => installFetchCapture({ captureContent: options.captureContent ?? false });
  const base = useReplayTracing({
    ...options,
    afterStart: ({ server }) => {
      uninstall = install();
      // Created after the capture is installed: SDK clients keep the fetch they see at construction.
      client = makeClient?.(server.baseUrl) as Client;
    },
    beforeStop: () => uninstall(),
  });
  return {
    get tracing() {
      return base.tracing;
    },
    get server() {
      return base.server;
    },
    get client() {
      return client;
    },
    withoutCapture: async <T>(app: () => Promise<T>): Promise<T> => {
      uninstall();
      try {
        return await app();
      } finally {
        uninstall = install();
      }
    },
  };
}
