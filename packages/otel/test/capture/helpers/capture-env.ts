// The shared setup of the SDK-client capture tests: the in-memory SDK, a replay server, the
// fetch capture installed, and (optionally) a real SDK client pointed at the server.
// Registers its own vitest hooks; read the fields inside tests (they are set in beforeAll).
import { afterAll, afterEach, beforeAll } from "vitest";
import { installFetchCapture } from "../../../src/capture/index.js";
import { startReplayServer, type ReplayServer } from "./replay-server.js";
import { setUpTracing, type Tracing } from "./tracing.js";

export interface CaptureEnv<Client> {
  readonly tracing: Tracing;
  readonly server: ReplayServer;
  readonly client: Client;
}

export function useCaptureEnv<Client = undefined>(makeClient?: (baseUrl: string) => Client): CaptureEnv<Client> {
  const env = {} as { tracing: Tracing; server: ReplayServer; client: Client };
  let uninstall: () => void = () => {};
  beforeAll(async () => {
    env.tracing = setUpTracing();
    env.server = await startReplayServer();
    uninstall = installFetchCapture({ captureContent: false });
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
