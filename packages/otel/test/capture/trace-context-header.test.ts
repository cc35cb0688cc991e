// One trace context per request. @anthropic-ai/sdk (1.13 and 1.17) propagates its own call span
// (traceparent in the fetch headers); the undici instrumentation then appended the HTTP span's
// with request.addHeader(), and the server received `traceparent: 00-…-ef05…, 00-…-a615…`.
// Now the HTTP span's context replaces the SDK's: the server sees one header, and its parent is
// the HTTP span (a child of the SDK's call span, so the trace is the same).
import Anthropic from "@anthropic-ai/sdk";
import Anthropic117 from "anthropic-sdk-117";
import OpenAI from "openai";
import { propagation } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";

const env = useCaptureEnv();
beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

function receivedTraceparent(): string {
  const value = env.server.requests.at(-1)!.headers.traceparent;
  expect(typeof value).toBe("string");
  return value as string;
}

describe("the traceparent header the server receives", () => {
  it.each([
    ["1.17.0", Anthropic117],
    ["1.13.0", Anthropic],
  ] as const)("@anthropic-ai/sdk %s (propagates its own span): one context, the HTTP span's", async (_version, Client) => {
    env.server.handle(jsonHandler(fixtureBytes("anthropic/anthropic-text.json")));
    const client = new Client({ apiKey: "sk-ant-test-0000", baseURL: env.server.baseUrl, maxRetries: 0 });
    await (client as Anthropic).messages.create({ model: "claude-haiku-4-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] });
    await env.tracing.llmSpansEnded(1);
    const header = receivedTraceparent();
    expect(header).toMatch(TRACEPARENT);
    const [, traceId, parentId] = TRACEPARENT.exec(header)!;
    const http = env.tracing.httpSpans().at(-1)!;
    expect(http.spanContext().spanId).toBe(parentId);
    expect(http.spanContext().traceId).toBe(traceId);
    // The SDK's own call span is in the same trace, above the HTTP span.
    const sdkSpan = env.tracing.spans().findLast((s) => s.instrumentationScope.name === "com.anthropic.sdk.typescript");
    expect(sdkSpan?.spanContext().traceId).toBe(traceId);
  });

  it("an app that sets traceparent itself: replaced by the HTTP span's, not joined to it", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    const own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const client = new OpenAI({ apiKey: "sk-test-0000", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0, defaultHeaders: { traceparent: own } });
    await client.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
    await env.tracing.llmSpansEnded(1);
    const header = receivedTraceparent();
    expect(header).toMatch(TRACEPARENT);
    expect(header).not.toBe(own);
  });

  it("no propagator registered: the app's own header is left as it was", async () => {
    propagation.disable();
    try {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      const client = new OpenAI({ apiKey: "sk-test-0000", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0, defaultHeaders: { traceparent: own } });
      await client.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
      await env.tracing.llmSpansEnded(1);
      expect(receivedTraceparent()).toBe(own);
    } finally {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    }
  });
});
