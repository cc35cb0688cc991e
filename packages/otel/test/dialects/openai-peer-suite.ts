// The shared cases of the OpenAI-client instrumentations (OpenLLMetry, OpenInference, the
// opentelemetry-js-contrib one): the real `openai` client, instrumented by the real package,
// against the recorded Chat Completions responses, alone and beside @jotty/otel.
import { metrics, trace } from "@opentelemetry/api";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { callsWithoutUsageWarning } from "@jotty/engine/engine";
import { expectOneCall, callWarnings, MERGED_WARNING, type ExpectedCall } from "./expect-call.js";
import type { PeerEnv } from "./peer-run.js";

export interface OpenAiPeer {
  /** The span name the instrumentation gives a chat call. */
  spanName: string;
  /** The model it records when alone (OpenInference records only the response's model). */
  model: string;
  /** Whether it records the usage of a stream the app asked usage for. */
  streamUsage: boolean;
}

/**
 * Hands the instrumentation the providers the test set up, as registerInstrumentations() does.
 * Made after the SDK is registered: a peer's own copy of @opentelemetry/api binds its tracer when
 * asked, and a contrib instrumentation creates its metric instruments here.
 */
export function registered<T extends { setTracerProvider(p: unknown): void; setMeterProvider(p: unknown): void }>(instrumentation: T): T {
  instrumentation.setTracerProvider(trace.getTracerProvider());
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  return instrumentation;
}

const chat = (stream: boolean) => async (baseUrl: string) => {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const messages = [{ role: "user" as const, content: "hi" }];
  if (!stream) return client.chat.completions.create({ model: "gpt-4.1-nano", messages });
  const chunks = await client.chat.completions.create({ model: "gpt-4.1-nano", messages, stream: true, stream_options: { include_usage: true } });
  for await (const _ of chunks) void _;
  return undefined;
};

// openai-text.json: 16 prompt / 363 completion tokens; the stream: 16 / 300. gpt-4.1-nano costs
// $0.10 / $0.40 per million tokens.
const JSON_CALL: ExpectedCall = { provider: "openai", model: "gpt-4.1-nano", inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, costUsd: 0.0001468 };
const STREAM_CALL: ExpectedCall = { ...JSON_CALL, outputTokens: 300, costUsd: 0.0001216 };

export function openAiPeerSuite(env: PeerEnv, peer: OpenAiPeer): void {
  describe("alone", () => {
    it("JSON: one call with the response's usage and price", async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const { report, spans } = await env.run(chat(false), { jotty: false });
      expect(spans.filter((s) => s.name === peer.spanName)).toHaveLength(1);
      expectOneCall(report, { ...JSON_CALL, model: peer.model });
      expect(callWarnings(report)).toEqual([]);
    });

    it(`SSE: ${peer.streamUsage ? "the stream's usage" : "no usage recorded, and the report says so"}`, async () => {
      env.server.handle(sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai")));
      const { report } = await env.run(chat(true), { jotty: false });
      if (peer.streamUsage) expectOneCall(report, { ...STREAM_CALL, model: peer.model });
      else {
        expect(report.llm).toMatchObject({ calls: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 });
        expect(callWarnings(report)).toEqual([callsWithoutUsageWarning(1)]);
      }
    });
  });

  describe("beside @jotty/otel", () => {
    it("JSON: the two spans of the request count as one call", async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const { report, spans } = await env.run(chat(false), { jotty: true });
      expect(spans.filter((s) => s.name === peer.spanName)).toHaveLength(1);
      expect(spans.filter((s) => s.name === "llm_call")).toHaveLength(1);
      expectOneCall(report, JSON_CALL);
      expect(callWarnings(report)).toEqual([MERGED_WARNING(1)]);
    });

    it("SSE: one call with the stream's usage", async () => {
      env.server.handle(sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai")));
      const { report } = await env.run(chat(true), { jotty: true });
      expectOneCall(report, STREAM_CALL);
      expect(callWarnings(report)).toEqual([MERGED_WARNING(1)]);
    });
  });
}
