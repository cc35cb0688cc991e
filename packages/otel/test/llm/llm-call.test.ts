import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { beforeEach, describe, expect, it } from "vitest";
import { getActiveLlmCall, llmCall, startLlmCall } from "../../src/llm/llm-call.js";
import { profile } from "../../src/segments/profile.js";
import { installHarness, parentOf } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

class RateLimitError extends Error {}

describe("llmCall()", () => {
  it("opens an llm_call CLIENT span with operation, provider, model and server set at start", async () => {
    let atStart: ReadableSpan["attributes"] | undefined;
    await profile("agent", () =>
      llmCall({ provider: "openai", model: "gpt-4o-mini", serverAddress: "api.openai.com", serverPort: 443, stream: true }, async () => {
        atStart = { ...(trace.getActiveSpan() as unknown as ReadableSpan).attributes };
      }),
    );
    expect(atStart).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.stream": true,
      "server.address": "api.openai.com",
      "server.port": 443,
    });
    const span = h.span("llm_call");
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(span)).toBe(h.span("agent").spanContext().spanId);
  });

  it("writes usage, response, time to first chunk and the catalog cost when the call ends", async () => {
    const result = await llmCall({ provider: "openai", model: "gpt-4o-mini", operation: "chat" }, async (call) => {
      call.setUsage({ inputTokens: 1000, outputTokens: 100, cacheReadTokens: 200, cacheWriteTokens: 0, reasoningTokens: 30 });
      call.setResponse({ model: "gpt-4o-mini-2024-07-18", id: "chatcmpl-1" });
      call.setResponse({ finishReasons: ["stop"] });
      call.setTimeToFirstChunk(0.25);
      call.setAttributes({ "jotty.llm.prompt_hash": "abc123" });
      return "answer";
    });
    expect(result).toBe("answer");
    const span = h.span("llm_call");
    expect(span.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 100,
      "gen_ai.usage.cache_read.input_tokens": 200,
      "gen_ai.usage.cache_creation.input_tokens": 0,
      "gen_ai.usage.cache_write.input_tokens": 0,
      "gen_ai.usage.reasoning.output_tokens": 30,
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.response.time_to_first_chunk": 0.25,
      "jotty.llm.prompt_hash": "abc123",
    });
    // gpt-4o-mini: $0.15/M input, $0.075/M cached input, $0.60/M output.
    expect(span.attributes["gen_ai.usage.cost"]).toBeCloseTo((800 * 0.15 + 200 * 0.075 + 100 * 0.6) / 1e6, 12);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes["error.type"]).toBeUndefined();
  });

  it("sets no usage or cost attributes when usage was never reported", async () => {
    await llmCall({ provider: "openai", model: "gpt-4o-mini" }, async () => undefined);
    const attributes = h.span("llm_call").attributes;
    expect(Object.keys(attributes).filter((k) => k.startsWith("gen_ai.usage"))).toEqual([]);
  });

  it("records a thrown error with error.type and status ERROR, and re-throws it unchanged", async () => {
    const boom = new RateLimitError("429 slow down");
    await expect(
      llmCall({ provider: "anthropic", model: "claude-haiku-4-5" }, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    const span = h.span("llm_call");
    expect(span.attributes["error.type"]).toBe("RateLimitError");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "429 slow down" });
    expect(span.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("marks a call failed through setError without throwing", async () => {
    await llmCall({ provider: "openai", model: "gpt-4o-mini" }, async (call) => call.setError("500", "server error"));
    const span = h.span("llm_call");
    expect(span.attributes["error.type"]).toBe("500");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "server error" });
  });

  it("never breaks the app on nonsense usage: the call resolves, no cost is invented", async () => {
    await expect(
      llmCall({ provider: "openai", model: "gpt-4o-mini" }, async (call) => {
        call.setUsage({ inputTokens: Number.NaN, outputTokens: 5, cacheReadTokens: 99 });
        return "still fine";
      }),
    ).resolves.toBe("still fine");
    expect("gen_ai.usage.cost" in h.span("llm_call").attributes).toBe(false);
  });

  it("accepts request details learnt later through setRequest", async () => {
    await llmCall({ provider: "openai", model: "unknown-yet" }, async (call) =>
      call.setRequest({ model: "gpt-4o", stream: false, operation: "text_completion" }),
    );
    expect(h.span("llm_call").attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.request.stream": false,
      "gen_ai.operation.name": "text_completion",
    });
  });

  it("keeps parallel calls apart under Promise.all", async () => {
    await profile("fan-out", () =>
      Promise.all(
        [1, 2, 3].map((n) =>
          llmCall({ provider: "openai", model: "gpt-4o-mini" }, async (call) => {
            await new Promise((r) => setTimeout(r, 4 - n));
            expect(getActiveLlmCall()?.handle).toBe(call);
            call.setUsage({ inputTokens: n, outputTokens: n * 10 });
          }),
        ),
      ),
    );
    const calls = h.spans().filter((s) => s.name === "llm_call");
    expect(calls.map((s) => s.attributes["gen_ai.usage.output_tokens"]).sort()).toEqual([10, 20, 30]);
    for (const span of calls) {
      expect(span.attributes["gen_ai.usage.output_tokens"]).toBe(Number(span.attributes["gen_ai.usage.input_tokens"]) * 10);
      expect(parentOf(span)).toBe(h.span("fan-out").spanContext().spanId);
    }
  });
});

describe("getActiveLlmCall()", () => {
  it("finds the running llmCall in the active context, its span being the llm_call", async () => {
    expect(getActiveLlmCall()).toBeUndefined();
    let kept: ReturnType<typeof getActiveLlmCall>;
    await llmCall({ provider: "openai", model: "gpt-4o-mini" }, async (call) => {
      kept = getActiveLlmCall();
      expect(kept?.handle).toBe(call);
      expect(kept?.span).toBe(trace.getActiveSpan());
      await new Promise((r) => setImmediate(r));
      expect(getActiveLlmCall()).toBe(kept);
      kept?.handle.setUsage({ inputTokens: 5, outputTokens: 6 });
    });
    expect(getActiveLlmCall()).toBeUndefined();
    expect(h.span("llm_call").attributes["gen_ai.usage.input_tokens"]).toBe(5);
    expect(getActiveLlmCall(kept!.context)).toBeUndefined(); // ended calls are not offered
  });

  it("does not offer a call opened by startLlmCall (the capture's own)", () => {
    const call = startLlmCall({ provider: "openai", model: "gpt-4o-mini" });
    expect(getActiveLlmCall(call.context)).toBeUndefined();
    call.end();
  });
});

describe("startLlmCall()", () => {
  it("starts now, ends later with end(error?), and is idempotent", async () => {
    await profile("parent", async () => {
      const call = startLlmCall({ provider: "gcp.gemini", model: "gemini-2.5-flash", operation: "generate_content" });
      expect(trace.getSpan(call.context)).toBe(call.span);
      call.handle.setUsage({ inputTokens: 10, outputTokens: 20 });
      expect(h.spans().filter((s) => s.name === "llm_call")).toHaveLength(0);
      call.end(new TypeError("fetch failed"));
      call.end();
    });
    const span = h.span("llm_call");
    expect(parentOf(span)).toBe(h.span("parent").spanContext().spanId);
    expect(span.attributes["gen_ai.operation.name"]).toBe("generate_content");
    expect(span.attributes["error.type"]).toBe("TypeError");
    expect(span.attributes["gen_ai.usage.output_tokens"]).toBe(20);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});
