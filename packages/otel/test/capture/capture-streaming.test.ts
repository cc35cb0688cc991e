// Streaming: the app reads at its own pace and gets every byte unchanged; the span records the
// time to first chunk, stays open until the stream ends, and says how an interrupted stream ended.
import { createHash } from "node:crypto";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { sseFrames, type SseFlavor } from "@jotty/test-kit/fixtures";
import { Gate, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const env = useCaptureEnv((baseUrl) => new OpenAI({ apiKey: "sk-canary", baseURL: `${baseUrl}/v1`, maxRetries: 0 }));

const chatBody = (stream = true) =>
  JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }], stream, stream_options: { include_usage: true } });
const streamChat = () =>
  env.client.chat.completions.create({
    model: "gpt-4.1-nano",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
  });

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const streams: Array<{ fixture: string; flavor: SseFlavor; path: string }> = [
  { fixture: "openai-chat/openai-text.chunks.txt", flavor: "openai", path: "/v1/chat/completions" },
  { fixture: "groq/groq-text.chunks.txt", flavor: "openai", path: "/openai/v1/chat/completions" },
  { fixture: "openai-compatible-chat/xai-text.chunks.txt", flavor: "openai", path: "/v1/chat/completions" },
  { fixture: "openai-responses/openai-web-search-tool.1.chunks.txt", flavor: "responses", path: "/v1/responses" },
  { fixture: "anthropic/anthropic-text.chunks.txt", flavor: "anthropic", path: "/v1/messages" },
  { fixture: "anthropic/anthropic-json-tool.1.chunks.txt", flavor: "anthropic", path: "/v1/messages" },
  { fixture: "google/google-text.chunks.txt", flavor: "gemini", path: "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse" },
];

describe("SSE passes through byte for byte", () => {
  it.each(streams)("$fixture", async ({ fixture, flavor, path }) => {
    const frames = sseFrames(fixture, flavor);
    env.server.handle(sseHandler(frames));
    const body =
      flavor === "gemini"
        ? JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] })
        : flavor === "responses"
          ? JSON.stringify({ model: "gpt-5-mini", input: "hi", stream: true })
          : JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true, max_tokens: 10 });
    const response = await fetch(env.server.baseUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.status).toBe(200);
    expect(response.url).toBe(env.server.baseUrl + path);
    expect(response).toBeInstanceOf(Response);
    const received = await readAll(response.body!);
    expect(received.equals(Buffer.concat(frames))).toBe(true);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(attributes["error.type"]).toBeUndefined();
  });
});

describe("pacing", () => {
  it("the first chunk reaches the app while the server still holds the rest; the span ends with the stream", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai");
    const gate = new Gate();
    env.server.handle(sseHandler(frames, { gate }));
    gate.release(1);
    const started = performance.now();
    const stream = await streamChat();
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    const firstAt = performance.now();
    expect(first.done).toBe(false);
    // The stream is open: the server has sent one frame of many, and the llm_call has not ended.
    expect(env.tracing.llmSpans()).toHaveLength(0);
    gate.open();
    let count = 1;
    while (!(await iterator.next()).done) count++;
    expect(count).toBe(frames.length - 1); // every chunk except [DONE]
    const { llm, attributes } = await onlyLlmCall(env.tracing);
    const ttfc = attributes["gen_ai.response.time_to_first_chunk"] as number;
    expect(ttfc).toBeGreaterThan(0);
    // Seen by the capture no later than by the app, and well before the span's end.
    expect(ttfc * 1000).toBeLessThanOrEqual(firstAt - started);
    const durationS = llm.duration[0] + llm.duration[1] / 1e9;
    expect(ttfc).toBeLessThan(durationS);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(300);
  });

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("a large stream (several MB, %s framing) read slowly by the app arrives intact and is measured", async (_name, eol) => {
    // 6000 chunks of ~1 KB of content each, then the usage chunk.
    const word = "x".repeat(1000);
    const end = eol + eol;
    const frames: Buffer[] = [];
    for (let i = 0; i < 6000; i++) {
      frames.push(
        Buffer.from(
          `data: {"id":"big","object":"chat.completion.chunk","model":"big-model","choices":[{"index":0,"delta":{"content":"${word}"},"finish_reason":null}]}${end}`,
        ),
      );
    }
    frames.push(
      Buffer.from(`data: {"id":"big","object":"chat.completion.chunk","model":"big-model","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}${end}`),
    );
    frames.push(
      Buffer.from(
        `data: {"id":"big","object":"chat.completion.chunk","model":"big-model","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":6000,"total_tokens":6007}}${end}`,
      ),
    );
    frames.push(Buffer.from(`data: [DONE]${end}`));
    const expected = Buffer.concat(frames);
    expect(expected.length).toBeGreaterThan(6_000_000);
    env.server.handle(sseHandler(frames));
    const response = await fetch(`${env.server.baseUrl}/v1/chat/completions`, { method: "POST", body: chatBody() });
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of response.body!) {
      hash.update(chunk);
      bytes += chunk.length;
      // A slow consumer: hand the event loop back before every next read.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(bytes).toBe(expected.length);
    expect(hash.digest("hex")).toBe(createHash("sha256").update(expected).digest("hex"));
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(6000);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["length"]);
  });
});

describe("stream tails", () => {
  it("a final chunk larger than the kept tail (content, finish reason and usage in one 50 KB event) still gives usage", async () => {
    const frames: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      frames.push(
        Buffer.from(
          `data: {"id":"t","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"${"y".repeat(200)}"},"finish_reason":null}]}\n\n`,
        ),
      );
    }
    frames.push(
      Buffer.from(
        `data: {"id":"t","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"${"z".repeat(50_000)}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":201,"total_tokens":204}}\n\n`,
      ),
    );
    frames.push(Buffer.from("data: [DONE]\n\n"));
    env.server.handle(sseHandler(frames));
    const response = await fetch(`${env.server.baseUrl}/v1/chat/completions`, { method: "POST", body: chatBody() });
    expect((await readAll(response.body!)).equals(Buffer.concat(frames))).toBe(true);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(3);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(201);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
  });

  it("non-ASCII text cut anywhere between network chunks", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai").map((f) => Buffer.from(f.toString().replaceAll("Holiday", "Hölïdäy 🎉")));
    const bytes = Buffer.concat(frames);
    // Re-cut the byte stream at odd offsets, through multi-byte characters.
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 997) pieces.push(bytes.subarray(at, at + 997));
    env.server.handle(sseHandler(pieces));
    const response = await fetch(`${env.server.baseUrl}/v1/chat/completions`, { method: "POST", body: chatBody() });
    expect((await readAll(response.body!)).equals(bytes)).toBe(true);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(300);
    expect(attributes["gen_ai.response.id"]).toBe("chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0");
  });
});

describe("interrupted streams", () => {
  it("cancelled half-way by the app (break out of the openai stream): error.type cancelled", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai");
    const gate = new Gate();
    env.server.handle(sseHandler(frames, { gate }));
    gate.release(150);
    const stream = await streamChat();
    let seen = 0;
    for await (const _ of stream) {
      if (++seen === 100) break;
    }
    const { llm, attributes } = await onlyLlmCall(env.tracing);
    gate.open();
    expect(attributes["error.type"]).toBe("cancelled");
    expect(llm.status.code).toBe(2);
    expect(attributes["jotty.llm.usage_missing"]).toBe(true);
    expect(attributes["gen_ai.response.id"]).toBe("chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0");
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("cancelled through the reader of plain fetch", async () => {
    const frames = sseFrames("anthropic/anthropic-text.chunks.txt", "anthropic");
    const gate = new Gate();
    env.server.handle(sseHandler(frames, { gate }));
    gate.release(2);
    const response = await fetch(`${env.server.baseUrl}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    const { llm, attributes } = await onlyLlmCall(env.tracing);
    gate.open();
    expect(attributes["error.type"]).toBe("cancelled");
    expect(llm.status.code).toBe(2);
    // message_start was seen: the input side of the usage is known, the output is not final.
    expect(attributes["gen_ai.response.id"]).toBe("msg_01QC4g3HwBThD4BaNtBckFDJ");
  });

  it("a connection reset mid-stream: the app gets the error, the span says what happened", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai");
    env.server.handle(sseHandler(frames, { resetAfter: 50 }));
    const stream = await streamChat();
    let seen = 0;
    const failure = await (async () => {
      try {
        for await (const _ of stream) seen++;
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(Error);
    expect(seen).toBeLessThan(frames.length);
    const { llm, attributes } = await onlyLlmCall(env.tracing);
    expect(llm.status.code).toBe(2);
    expect(attributes["error.type"]).toBe("UND_ERR_SOCKET");
    expect(attributes["jotty.llm.usage_missing"]).toBe(true);
  });
});
