// The real `openai` client against recorded OpenAI, Groq and xAI responses replayed on loopback.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { SpanKind } from "@opentelemetry/api";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { fixtureBytes, fixtureEvents, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const env = useCaptureEnv((baseUrl) => new OpenAI({ apiKey: "sk-canary-openai", baseURL: `${baseUrl}/v1`, maxRetries: 0 }));

interface ChatCase {
  fixture: string;
  model: string;
  id: string;
  input: number;
  output: number;
  cacheRead?: number;
  reasoning?: number;
}

const chatJson: ChatCase[] = [
  {
    fixture: "openai-chat/openai-text.json",
    model: "gpt-4.1-nano-2025-04-14",
    id: "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU",
    input: 16,
    output: 363,
    cacheRead: 0,
    reasoning: 0,
  },
  { fixture: "groq/groq-text.json", model: "llama-3.3-70b-versatile", id: "chatcmpl-09d64d2a-ed1c-4473-829f-78db43f45d13", input: 45, output: 607 },
  // xAI leaves reasoning out of completion_tokens (12 + 2 + 320 = 334 total): output includes it.
  {
    fixture: "openai-compatible-chat/xai-text.json",
    model: "grok-3-mini",
    id: "edea4703-19aa-6d74-fedb-dc1c213543e0",
    input: 12,
    output: 322,
    cacheRead: 2,
    reasoning: 320,
  },
];

const chatStreams: ChatCase[] = [
  {
    fixture: "openai-chat/openai-text.chunks.txt",
    model: "gpt-4.1-nano-2025-04-14",
    id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0",
    input: 16,
    output: 300,
    cacheRead: 0,
    reasoning: 0,
  },
  { fixture: "groq/groq-text.chunks.txt", model: "llama-3.3-70b-versatile", id: "chatcmpl-7eb08824-fb8d-47af-a1f0-3aa786f2d1f3", input: 45, output: 662 },
  {
    fixture: "openai-compatible-chat/xai-text.chunks.txt",
    model: "grok-3-mini",
    id: "f0f0f217-c24d-1fee-5fe3-28fa1d3c8c94",
    input: 12,
    output: 342,
    cacheRead: 11,
    reasoning: 340,
  },
];

function expectUsage(attributes: Record<string, unknown>, c: ChatCase): void {
  expect(attributes["gen_ai.usage.input_tokens"]).toBe(c.input);
  expect(attributes["gen_ai.usage.output_tokens"]).toBe(c.output);
  expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(c.cacheRead);
  expect(attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(c.reasoning);
  expect(attributes["jotty.llm.usage_missing"]).toBeUndefined();
}

describe("OpenAI Chat Completions through the openai client", () => {
  it.each(chatJson)("JSON $fixture: one llm_call, parent of the undici span, usage exact", async (c) => {
    const body = fixtureBytes(c.fixture);
    env.server.handle(jsonHandler(body));
    const completion = await env.client.chat.completions.create({
      model: "requested-model",
      messages: [{ role: "user", content: "Invent a holiday" }],
      temperature: 0.3,
    });
    // The app's response is the recorded one, untouched.
    expect(completion).toEqual(JSON.parse(body.toString("utf8")));

    const { llm, http, attributes } = await onlyLlmCall(env.tracing);
    expect(llm.kind).toBe(SpanKind.CLIENT);
    expect(http).toBeDefined();
    expect(http!.spanContext().traceId).toBe(llm.spanContext().traceId);
    expect(http!.attributes["http.response.status_code"]).toBe(200);
    expect(attributes["gen_ai.operation.name"]).toBe("chat");
    expect(attributes["gen_ai.provider.name"]).toBe("openai");
    expect(attributes["gen_ai.request.model"]).toBe("requested-model");
    expect(attributes["gen_ai.request.stream"]).toBe(false);
    expect(attributes["gen_ai.response.model"]).toBe(c.model);
    expect(attributes["gen_ai.response.id"]).toBe(c.id);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(attributes["server.address"]).toBe("127.0.0.1");
    expect(attributes["server.port"]).toBe(env.server.port);
    expect(attributes["jotty.llm.prompt_hash"]).toMatch(/^[0-9a-f]{32}$/);
    expect(attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(attributes["gen_ai.output.messages"]).toBeUndefined();
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
    expectUsage(attributes, c);
    // The undici span lies inside the llm_call.
    expect(http!.startTime[0] * 1e9 + http!.startTime[1]).toBeGreaterThanOrEqual(llm.startTime[0] * 1e9 + llm.startTime[1]);
  });

  it.each(chatStreams)("SSE $fixture: every chunk reaches the app, usage from the last chunk", async (c) => {
    env.server.handle(sseHandler(sseFrames(c.fixture, "openai")));
    const stream = await env.client.chat.completions.create({
      model: "requested-model",
      messages: [{ role: "user", content: "Invent a holiday" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const received: unknown[] = [];
    for await (const chunk of stream) received.push(chunk);
    // The SDK adds fields of its own (finish_reason: null), so match rather than equal.
    expect(received).toMatchObject(fixtureEvents(c.fixture).map((line) => JSON.parse(line) as object));

    const { http, attributes } = await onlyLlmCall(env.tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.response.model"]).toBe(c.model);
    expect(attributes["gen_ai.response.id"]).toBe(c.id);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(attributes["error.type"]).toBeUndefined();
    expectUsage(attributes, c);
  });

  it("a stream without stream_options.include_usage says usage is missing, and never estimates", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai");
    // What OpenAI sends without include_usage: no final usage chunk.
    const withoutUsage = frames.filter((f) => !f.toString().includes('"usage":{'));
    env.server.handle(sseHandler(withoutUsage));
    const stream = await env.client.chat.completions.create({
      model: "gpt-4.1-nano",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const _ of stream) void _;
    const { llm, attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["jotty.llm.usage_missing"]).toBe(true);
    expect(attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(attributes["gen_ai.usage.cost"]).toBeUndefined();
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(llm.status.code).not.toBe(2);
  });
});

describe("OpenAI Responses API through the openai client", () => {
  it("JSON: usage, id, model and status", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")));
    const response = await env.client.responses.create({ model: "gpt-5-mini", input: "tech news today", tools: [{ type: "web_search" }] });
    expect(response.id).toBe("resp_0953eda47ee17412006933306199c88195b44f9cf2986e1d5b");
    const { http, attributes } = await onlyLlmCall(env.tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.operation.name"]).toBe("chat");
    expect(attributes["gen_ai.request.model"]).toBe("gpt-5-mini");
    expect(attributes["gen_ai.response.model"]).toBe("gpt-5-mini-2025-08-07");
    expect(attributes["gen_ai.response.id"]).toBe("resp_0953eda47ee17412006933306199c88195b44f9cf2986e1d5b");
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["completed"]);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(19681);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(3773);
    expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(3712);
    expect(attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(3136);
  });

  it("SSE: usage from response.completed", async () => {
    const fixture = "openai-responses/openai-web-search-tool.1.chunks.txt";
    env.server.handle(sseHandler(sseFrames(fixture, "responses")));
    const stream = await env.client.responses.create({ model: "gpt-5-mini", input: "tech news today", stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(fixtureEvents(fixture).map((line) => (JSON.parse(line) as { type: string }).type));
    const { http, attributes } = await onlyLlmCall(env.tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.response.id"]).toBe("resp_0cc96ac817fdc57e00693337060a408198b92bf1f99cf1b8ec");
    expect(attributes["gen_ai.response.model"]).toBe("gpt-5-mini-2025-08-07");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(31073);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(4416);
    expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(3712);
    expect(attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(3712);
  });
});

describe("Embeddings and legacy completions", () => {
  it("embeddings: operation embeddings, input tokens, no output", async () => {
    const body = JSON.stringify({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
    env.server.handle(jsonHandler(body));
    await env.client.embeddings.create({ model: "text-embedding-3-small", input: "hello", encoding_format: "float" });
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.operation.name"]).toBe("embeddings");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(8);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(0);
    expect(attributes["gen_ai.response.model"]).toBe("text-embedding-3-small");
  });

  it("legacy completions: operation text_completion", async () => {
    const body = JSON.stringify({
      id: "cmpl-1",
      object: "text_completion",
      model: "gpt-3.5-turbo-instruct",
      choices: [{ text: "hi", index: 0, finish_reason: "length" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
    env.server.handle(jsonHandler(body));
    await env.client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Say hi" });
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.operation.name"]).toBe("text_completion");
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["length"]);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(3);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(1);
  });
});
