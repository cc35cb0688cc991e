// HTTP errors and network failures: the span is ERROR with the provider's error type; the app
// gets the very Response / error object the underlying fetch produced.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installFetchCapture } from "../../src/capture/index.js";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { onlyLlmCall, setUpTracing, type Tracing } from "./helpers/tracing.js";

let tracing: Tracing;
let server: ReplayServer;
let uninstall: () => void;
let plainFetch: typeof fetch;
/** What the fetch under the capture last produced, to check the app gets the same object. */
const underneath: { response?: Response; error?: unknown } = {};

beforeAll(async () => {
  tracing = setUpTracing();
  server = await startReplayServer();
  plainFetch = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    try {
      underneath.response = await plainFetch(input, init);
      return underneath.response;
    } catch (error) {
      underneath.error = error;
      throw error;
    }
  }) as typeof fetch;
  uninstall = installFetchCapture({ captureContent: false });
});
afterAll(async () => {
  uninstall();
  globalThis.fetch = plainFetch;
  await server.close();
  await tracing.shutdown();
});
afterEach(() => {
  tracing.reset();
  delete underneath.response;
  delete underneath.error;
});

const chat = { model: "gpt-4.1-nano", messages: [{ role: "user" as const, content: "hi" }] };

describe("HTTP errors", () => {
  it("429 with OpenAI's error body: error.type from the body, the SDK sees the same error as without capture", async () => {
    const body = fixtureBytes("openai-responses/openai-error.1.json");
    server.handle(jsonHandler(body, 429));
    const bare = new OpenAI({ apiKey: "sk-canary", baseURL: `${server.baseUrl}/v1`, maxRetries: 0, fetch: plainFetch });
    const captured = new OpenAI({ apiKey: "sk-canary", baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
    const expected = await bare.chat.completions.create(chat).catch((e: unknown) => e);
    tracing.reset();
    const actual = await captured.chat.completions.create(chat).catch((e: unknown) => e);
    expect(actual).toBeInstanceOf(OpenAI.RateLimitError);
    expect((actual as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((actual as Error).message).toBe((expected as Error).message);
    expect((actual as InstanceType<typeof OpenAI.APIError>).error).toEqual((expected as InstanceType<typeof OpenAI.APIError>).error);
    const { llm, http, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("insufficient_quota");
    // Content capture is off: the type and code, not the provider's words (they may quote the prompt).
    expect(llm.status.message).toBe("insufficient_quota");
    expect(http!.attributes["http.response.status_code"]).toBe(429);
    expect(attributes["jotty.llm.usage_missing"]).toBeUndefined();
  });

  it("429 for tokens per minute: error.type is OpenAI's code (rate_limit_exceeded), not its type (tokens)", async () => {
    server.handle(jsonHandler(fixtureBytes("openai-chat/openai-rate-limit-tokens.429.json"), 429));
    const client = new OpenAI({ apiKey: "sk-canary", baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
    const error = await client.chat.completions.create(chat).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("rate_limit_exceeded");
    const { llm, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("rate_limit_exceeded");
  });

  it("500 with Anthropic's error body through @anthropic-ai/sdk", async () => {
    server.handle(jsonHandler(JSON.stringify({ type: "error", error: { type: "api_error", message: "Internal server error" } }), 500));
    const client = new Anthropic({ apiKey: "sk-ant-canary", baseURL: server.baseUrl, maxRetries: 0 });
    const error = await client.messages.create({ ...chat, max_tokens: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    const { llm, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("api_error");
  });

  it("529 overloaded mid-way as an Anthropic SSE error event", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
    });
    const response = await fetch(`${server.baseUrl}/v1/messages`, { method: "POST", body: JSON.stringify({ ...chat, max_tokens: 5, stream: true }) });
    await response.text();
    const { llm, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("overloaded_error");
  });

  it("an error event mid-way through an OpenAI chat stream: the SDK throws, the span has the error's type", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai").slice(0, 40);
    frames.push(Buffer.from('data: {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}\n\n'));
    server.handle(sseHandler(frames));
    const client = new OpenAI({ apiKey: "sk-canary", baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ ...chat, stream: true, stream_options: { include_usage: true } });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const { llm, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("server_error");
    expect(attributes["jotty.llm.usage_missing"]).toBe(true);
  });

  it("a Responses stream ending in response.failed", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-5-mini","output":[],"usage":null,"error":null}}\n\n',
      );
      res.end(
        'event: response.failed\ndata: {"type":"response.failed","sequence_number":1,"response":{"id":"resp_1","object":"response","status":"failed","model":"gpt-5-mini","output":[],"usage":null,"error":{"code":"server_error","message":"Something went wrong"}}}\n\n',
      );
    });
    const response = await fetch(`${server.baseUrl}/v1/responses`, {
      method: "POST",
      body: JSON.stringify({ model: "gpt-5-mini", input: "hi", stream: true }),
    });
    await response.text();
    const { llm, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("server_error");
    expect(attributes["gen_ai.response.id"]).toBe("resp_1");
  });

  it("Gemini 429 RESOURCE_EXHAUSTED through plain fetch: the app gets the very same Response", async () => {
    const body = JSON.stringify({ error: { code: 429, message: "Resource has been exhausted", status: "RESOURCE_EXHAUSTED" } });
    server.handle(jsonHandler(body, 429));
    const response = await fetch(`${server.baseUrl}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: "POST",
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    expect(response).toBe(underneath.response);
    expect(await response.text()).toBe(body);
    const { attributes } = await onlyLlmCall(tracing);
    expect(attributes["error.type"]).toBe("RESOURCE_EXHAUSTED");
  });

  it("an error without a JSON body: error.type is the status code", async () => {
    server.handle((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad gateway</html>");
    });
    const response = await fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body: JSON.stringify(chat) });
    expect(response.status).toBe(502);
    expect(await response.text()).toBe("<html>Bad gateway</html>");
    const { llm, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("502");
  });
});

describe("success keeps the response object", () => {
  it("a JSON completion returns the very Response the fetch underneath gave", async () => {
    server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    const response = await fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body: JSON.stringify(chat) });
    expect(response).toBe(underneath.response);
    expect(response.bodyUsed).toBe(false);
    await response.json();
    await onlyLlmCall(tracing);
  });

  it("a streamed completion too: same Response, its body read through an observer", async () => {
    server.handle(sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai")));
    const response = await fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ ...chat, stream: true }) });
    expect(response).toBe(underneath.response);
    expect(response.body).toBe(response.body);
    expect(response.bodyUsed).toBe(false);
    await response.body!.pipeTo(new WritableStream());
    expect(response.bodyUsed).toBe(true);
    const { attributes } = await onlyLlmCall(tracing);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(300);
  });
});

describe("a Request object as input", () => {
  it("its body is read from a copy: the server gets it intact, the span is made", async () => {
    server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    const body = JSON.stringify(chat);
    const request = new Request(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body, headers: { "content-type": "application/json" } });
    const response = await fetch(request);
    expect(response).toBe(underneath.response);
    expect(((await response.json()) as { id: string }).id).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    expect(server.requests.at(-1)!.body).toBe(body);
    const { attributes } = await onlyLlmCall(tracing);
    expect(attributes["gen_ai.request.model"]).toBe("gpt-4.1-nano");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(16);
  });
});

describe("network failures", () => {
  it("a closed port: the same error object reaches the app, span ERROR with the connection error", async () => {
    const closed = await startReplayServer();
    const url = `${closed.baseUrl}/v1/chat/completions`;
    await closed.close();
    const error = await fetch(url, { method: "POST", body: JSON.stringify(chat) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBe(underneath.error);
    const { llm, http, attributes } = await onlyLlmCall(tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("ECONNREFUSED");
    expect(llm.events.some((e) => e.name === "exception")).toBe(true);
    expect(http?.parentSpanContext?.spanId).toBe(llm.spanContext().spanId);
  });

  it("an app abort before the response: error.type cancelled, the AbortError reaches the app", async () => {
    server.handle(() => {
      // Never answers; the app gives up.
    });
    const controller = new AbortController();
    const pending = fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body: JSON.stringify(chat), signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(error).toBe(underneath.error);
    const { attributes } = await onlyLlmCall(tracing);
    expect(attributes["error.type"]).toBe("cancelled");
  });
});

describe("non-LLM requests pass through untouched", () => {
  it("GET, other paths and LLM-looking paths with other bodies: no llm_call, bodies and responses as sent", async () => {
    server.handle((req, res, body) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ echo: body, path: req.url }));
    });
    const get = await fetch(`${server.baseUrl}/v1/chat/completions`);
    expect(get).toBe(underneath.response);
    await get.text();
    const post = await fetch(`${server.baseUrl}/api/items`, { method: "POST", body: '{"model":"x","messages":[]}' });
    expect(post).toBe(underneath.response);
    expect(await post.json()).toEqual({ echo: '{"model":"x","messages":[]}', path: "/api/items" });
    // A chat app's /messages endpoint is not Anthropic's: its body has no model.
    const chatApp = await fetch(`${server.baseUrl}/channels/1/messages`, { method: "POST", body: '{"content":"hello"}' });
    expect(await chatApp.json()).toEqual({ echo: '{"content":"hello"}', path: "/channels/1/messages" });
    const form = await fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", body: new URLSearchParams({ a: "b" }) });
    expect(await form.json()).toEqual({ echo: "a=b", path: "/v1/chat/completions" });
    expect(tracing.llmSpans()).toHaveLength(0);
    expect(tracing.httpSpans().length).toBeGreaterThanOrEqual(3);
  });
});
