// start() in a unit test: no OTLP exporter, no metric reader and no traces file from the
// environment (a test names its own); shut down and the environment restored after each test.
import { afterEach, beforeEach, vi } from "vitest";
import { shutdown } from "../../src/wiring/start.js";

export function useQuietStart(): void {
  beforeEach(() => {
    vi.stubEnv("OTEL_TRACES_EXPORTER", "none");
    vi.stubEnv("OTEL_METRICS_EXPORTER", "none");
    vi.stubEnv("JOTTY_TRACES_FILE", "");
  });
  afterEach(async () => {
    await shutdown();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
}
