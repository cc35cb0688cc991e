// What @jotty/otel prints on stderr names endpoints, never their credentials: an OTLP endpoint
// given as http://user:password@host keeps its password out of the "cannot export" line.
import { trace } from "@opentelemetry/api";
import { createServer } from "node:net";
import { expect, it, vi } from "vitest";
import { shutdown, start } from "../../src/wiring/start.js";
import { CANARY, MARKER } from "./canaries.js";
import { useQuietStart } from "../sdk/quiet-start.js";

useQuietStart();

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it("the OTLP endpoint's userinfo and secret query values are not in the export-failure line", async () => {
  const port = await closedPort();
  vi.stubEnv("OTEL_TRACES_EXPORTER", "otlp");
  vi.stubEnv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", `http://agent:${CANARY.opaque}@127.0.0.1:${port}/v1/traces?api_key=${CANARY.opaque}`);
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  start();
  trace.getTracer("t").startSpan("work").end();
  await shutdown();
  const exportLines = lines.filter((line) => line.includes("cannot export spans to"));
  expect(exportLines).toHaveLength(1);
  expect(exportLines[0]).toContain(`http://REDACTED:REDACTED@127.0.0.1:${port}/v1/traces?api_key=REDACTED`);
  expect(lines.join("").includes(MARKER)).toBe(false);
});
