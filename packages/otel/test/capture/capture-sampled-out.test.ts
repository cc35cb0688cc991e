// Sampled out (or no SDK): the capture keeps the trace context and does no other work.
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, expect, it } from "vitest";
import { installFetchCapture } from "../../src/capture/index.js";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";

const exporter = new InMemorySpanExporter();
let server: ReplayServer;
let uninstall: () => void;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
  server = await startReplayServer();
  uninstall = installFetchCapture({ captureContent: true });
});
afterAll(async () => {
  uninstall();
  await server.close();
  context.disable();
  trace.disable();
});

it("no span, and the response is left exactly as fetch made it (no observers attached)", async () => {
  const body = fixtureBytes("openai-chat/openai-text.json");
  server.handle(jsonHandler(body));
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(Object.getOwnPropertyNames(response)).toEqual([]);
  expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
  expect(exporter.getFinishedSpans()).toHaveLength(0);
});
