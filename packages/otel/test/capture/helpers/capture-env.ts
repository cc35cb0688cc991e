// The shared setup of the SDK-client capture tests: the in-memory SDK, a replay server, the
// fetch capture installed, and (optionally) a real SDK client pointed at the server.
// Registers its own vitest hooks; read the fields inside tests (they are set in beforeAll).
import { afterAll, afterEach, beforeAll } from "vitest";
import { installFetchCapture } from "../../../src/capture/index.js";
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from "./replay-server.js";
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
}

const install = () => installFetchCapture({ captureContent: false });

export function useCaptureEnv<Client = undefined>(makeClient?: (baseUrl: string) => Client, options: CaptureEnvOptions = {}): CaptureEnv<Client> {
  let uninstall: () => void = () => {};
  const env = {
    withoutCapture: async <T>(app: () => Promise<T>): Promise<T> => {
      uninstall();
      try {
        return await app();
      } finally {
        uninstall = install();
      }
    },
  } as { tracing: Tracing; server: ReplayServer; client: Client; withoutCapture: CaptureEnv<Client>["withoutCapture"] };
  beforeAll(async () => {
    env.tracing = setUpTracing();
    env.server = await startReplayServer(await options.server?.());
    uninstall = install();
    // Created after the capture is installed: SDK clients keep the fetch they see at construction.
    env.client = makeClient?.(env.server.baseUrl) as Client;
  });
  afterAll(async () => {
    uninstall();
    await env.server.close();
    await env.tracing.shutdown();
  });
  afterEach(() => env.tracing.reset());
  return env;
}
