// Every way an app can consume a streamed body gives the same llm_call: exact tokens (Anthropic:
// the final message_delta usage, not message_start's), a time to first chunk, and the app's bytes
// unchanged. Driven through undici's fetch and axios's fetch adapter (which reads whole bodies).
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import axios from "axios";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { sseFrames, type SseFlavor } from "@jotty/test-kit/fixtures";
import { sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const env = useCaptureEnv();

type Consume = (response: Response) => Promise<Buffer>;

const decoder = new TextDecoder();
const collect = async (stream: ReadableStream<Uint8Array>): Promise<Buffer> => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
};

const styles: Record<string, Consume> = {
  reader: async (res) => {
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    return Buffer.concat(chunks);
  },
  "for await": (res) => collect(res.body!),
  pipeTo: async (res) => {
    const chunks: Uint8Array[] = [];
    await res.body!.pipeTo(new WritableStream({ write: (chunk) => void chunks.push(chunk) }));
    return Buffer.concat(chunks);
  },
  pipeThrough: (res) => collect(res.body!.pipeThrough(new TransformStream())),
  tee: async (res) => {
    const [a, b] = res.body!.tee();
    const [left, right] = await Promise.all([collect(a), collect(b)]);
    if (!left.equals(right)) throw new Error("tee branches differ");
    return left;
  },
  "Readable.fromWeb": async (res) => {
    const chunks: Buffer[] = [];
    await pipeline(
      Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>),
      new Writable({
        write: (c: Buffer, _e, done) => {
          chunks.push(c);
          done();
        },
      }),
    );
    return Buffer.concat(chunks);
  },
  text: async (res) => Buffer.from(await res.text()),
  arrayBuffer: async (res) => Buffer.from(await res.arrayBuffer()),
  bytes: async (res) => Buffer.from(await res.bytes()),
  blob: async (res) => {
    const blob = await res.blob();
    if (blob.type !== "text/event-stream") throw new Error(`blob type ${blob.type}`);
    return Buffer.from(await blob.arrayBuffer());
  },
  "clone().text()": async (res) => Buffer.from(await res.clone().text()),
  "clone(), original read": async (res) => {
    void res.clone();
    return Buffer.from(await res.text());
  },
};

interface Case {
  name: string;
  fixture: string;
  flavor: SseFlavor;
  path: string;
  /** The recorded usage in GenAI form (input including cached, output including reasoning). */
  usage: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
}

const cases: Case[] = [
  {
    name: "openai chat",
    fixture: "openai-chat/openai-text.chunks.txt",
    flavor: "openai",
    path: "/v1/chat/completions",
    usage: { input: 16, output: 300, cacheRead: 0 },
  },
  // message_start says output_tokens 1; the final message_delta says 30.
  {
    name: "anthropic",
    fixture: "anthropic/anthropic-text.chunks.txt",
    flavor: "anthropic",
    path: "/v1/messages",
    usage: { input: 12, output: 30, cacheRead: 0, cacheWrite: 0 },
  },
];

const requestBody = JSON.stringify({
  model: "m",
  messages: [{ role: "user", content: "hi" }],
  stream: true,
  max_tokens: 10,
  stream_options: { include_usage: true },
});

function expectExactSpan(attributes: Record<string, unknown>, usage: Case["usage"]): void {
  expect(attributes["jotty.llm.usage_missing"]).toBeUndefined();
  expect(attributes["gen_ai.usage.input_tokens"]).toBe(usage.input);
  expect(attributes["gen_ai.usage.output_tokens"]).toBe(usage.output);
  expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(usage.cacheRead);
  expect(attributes["gen_ai.usage.cache_write.input_tokens"]).toBe(usage.cacheWrite);
  expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  expect(attributes["error.type"]).toBeUndefined();
  expect(attributes["jotty.llm.unfinished"]).toBeUndefined();
}

describe.each(cases)("$name stream", (c) => {
  const frames = sseFrames(c.fixture, c.flavor);
  const sent = Buffer.concat(frames);

  it.each(Object.keys(styles))("%s", async (style) => {
    env.server.handle(sseHandler(frames));
    const response = await fetch(env.server.baseUrl + c.path, { method: "POST", headers: { "content-type": "application/json" }, body: requestBody });
    const received = await styles[style]!(response);
    expect(received.equals(sent)).toBe(true);
    expectExactSpan((await onlyLlmCall(env.tracing)).attributes, c.usage);
  });

  it("axios with its fetch adapter (reads the stream whole)", async () => {
    env.server.handle(sseHandler(frames));
    const response = await axios.post(env.server.baseUrl + c.path, requestBody, {
      adapter: "fetch",
      headers: { "content-type": "application/json" },
      responseType: "text",
      transformResponse: (data: string) => data,
    });
    expect(Buffer.from(response.data as string).equals(sent)).toBe(true);
    expectExactSpan((await onlyLlmCall(env.tracing)).attributes, c.usage);
  });

  it("json() on a stream: the app gets the same SyntaxError, the span the exact usage", async () => {
    env.server.handle(sseHandler(frames));
    const response = await fetch(env.server.baseUrl + c.path, { method: "POST", headers: { "content-type": "application/json" }, body: requestBody });
    await expect(response.json()).rejects.toThrow(SyntaxError);
    expectExactSpan((await onlyLlmCall(env.tracing)).attributes, c.usage);
  });

  it("text() while the app holds a reader: the same rejected TypeError, and the reader still gives the span", async () => {
    env.server.handle(sseHandler(frames));
    const response = await fetch(env.server.baseUrl + c.path, { method: "POST", headers: { "content-type": "application/json" }, body: requestBody });
    const reader = response.body!.getReader();
    await expect(response.text()).rejects.toThrow(TypeError);
    for (let r = await reader.read(); !r.done; r = await reader.read());
    expectExactSpan((await onlyLlmCall(env.tracing)).attributes, c.usage);
  });

  it("formData() on a stream: the app gets the same TypeError", async () => {
    env.server.handle(sseHandler(frames));
    const response = await fetch(env.server.baseUrl + c.path, { method: "POST", headers: { "content-type": "application/json" }, body: requestBody });
    await expect(response.formData()).rejects.toThrow(TypeError);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.request.model"]).toBe("m");
  });
});

void decoder;
