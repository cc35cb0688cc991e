// An app that already wraps its call in llmCall() gets one llm_call span, filled by the capture.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";

const env = useCaptureEnv((baseUrl) => new OpenAI({ apiKey: "k", baseURL: `${baseUrl}/v1`, maxRetries: 0 }));

describe("llmCall() around an SDK call", () => {
  it("JSON: one llm_call (the app's), filled with the response's usage; the HTTP span is its child", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    const completion = await llmCall({ provider: "openai", model: "gpt-4.1-nano", operation: "chat" }, async () => {
      const result = await env.client.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
      return result;
    });
    expect(completion.id).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    const spans = await env.tracing.llmSpansEnded(1);
    expect(spans).toHaveLength(1);
    const llm = spans[0]!;
    expect(llm.attributes["gen_ai.provider.name"]).toBe("openai");
    expect(llm.attributes["gen_ai.usage.input_tokens"]).toBe(16);
    expect(llm.attributes["gen_ai.usage.output_tokens"]).toBe(363);
    expect(llm.attributes["gen_ai.response.id"]).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    expect(llm.attributes["server.port"]).toBe(env.server.port);
    expect(llm.attributes["jotty.llm.prompt_hash"]).toMatch(/^[0-9a-f]{32}$/);
    const http = env.tracing.httpSpans();
    expect(http).toHaveLength(1);
    expect(http[0]!.parentSpanContext?.spanId).toBe(llm.spanContext().spanId);
  });

  it("streaming consumed inside llmCall: usage and time to first chunk on the one span", async () => {
    env.server.handle(sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai")));
    await llmCall({ provider: "openai", model: "gpt-4.1-nano" }, async () => {
      const stream = await env.client.chat.completions.create({
        model: "gpt-4.1-nano",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream) void _;
    });
    const spans = env.tracing.llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes["gen_ai.request.stream"]).toBe(true);
    expect(spans[0]!.attributes["gen_ai.usage.output_tokens"]).toBe(300);
    expect(spans[0]!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });
});
