// LLM calls over node:http / node:https made by the real clients that use them: axios with its
// default (http) adapter, and plain http.request / https.request, against recorded responses.
import axios from "axios";
import http, { type IncomingMessage } from "node:http";
import https, { type RequestOptions } from "node:https";
import { gzipSync } from "node:zlib";
import { generate } from "selfsigned";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "../helpers/capture-env.js";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { Gate, jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "../helpers/tracing.js";
import { readResponse, type AppView, type ReadStyle } from "./app-reads.js";

const chatBody = JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Hello" }] });
const anthropicBody = JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Hello" }], stream: true });

/** One request with http.request (or https.request), body in `parts` writes; resolves with what the app saw. */
function post(client: typeof http | typeof https, url: string, parts: string[], style: ReadStyle, options: RequestOptions = {}): Promise<AppView> {
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-canary" }, ...options },
      (res: IncomingMessage) => {
        readResponse(res, style).then(resolve, reject);
      },
    );
    req.on("error", reject);
    for (const part of parts.slice(0, -1)) req.write(part);
    req.end(parts.at(-1));
  });
}

describe("node:http through axios (http adapter)", () => {
  const env = useCaptureEnv(() => axios.create({ adapter: "http" }));

  it("JSON: tokens exact, app's data identical, the gzip body decoded on our side", async () => {
    const body = fixtureBytes("openai-chat/openai-text.json");
    const gzipped = gzipSync(body);
    env.server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": gzipped.byteLength });
      res.end(gzipped);
    });
    const call = () => env.client.post(`${env.server.baseUrl}/v1/chat/completions`, JSON.parse(chatBody)).then((r) => r.data as unknown);
    const reference = await env.withoutCapture(call);
    env.tracing.reset();
    expect(await call()).toEqual(reference);
    expect(reference).toEqual(JSON.parse(body.toString("utf8")));
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.provider.name"]).toBe("openai");
    expect(attributes["gen_ai.request.model"]).toBe("gpt-4.1-nano");
    expect(attributes["gen_ai.response.model"]).toBe("gpt-4.1-nano-2025-04-14");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(16);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(363);
    expect(attributes["server.port"]).toBe(env.server.port);
  });

  it("SSE read as a stream (responseType: stream): tokens from the last chunk, time to first chunk", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai");
    const call = async () => {
      const response = await env.client.post(
        `${env.server.baseUrl}/v1/chat/completions`,
        { ...JSON.parse(chatBody), stream: true, stream_options: { include_usage: true } },
        { responseType: "stream" },
      );
      const chunks: Buffer[] = [];
      for await (const chunk of response.data as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks).toString("utf8");
    };
    env.server.handle(sseHandler(frames));
    const reference = await env.withoutCapture(call);
    env.tracing.reset();
    env.server.handle(sseHandler(frames));
    expect(await call()).toBe(reference);
    expect(reference).toBe(Buffer.concat(frames).toString("utf8"));
    const { llm, attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(16);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(300);
    const ttfc = attributes["gen_ai.response.time_to_first_chunk"] as number;
    expect(ttfc).toBeGreaterThan(0);
    expect(ttfc).toBeLessThanOrEqual(llm.duration[0] + llm.duration[1] / 1e9);
  });
});

describe("node:http through http.request", () => {
  const env = useCaptureEnv();

  it.each(["flowing", "paused"] as const)("Anthropic SSE read %s: same bytes, events and mode as without the capture", async (style) => {
    const frames = sseFrames("anthropic/anthropic-text.chunks.txt", "anthropic");
    const url = `${env.server.baseUrl}/v1/messages`;
    env.server.handle(sseHandler(frames));
    const reference = await env.withoutCapture(() => post(http, url, [anthropicBody], style));
    env.tracing.reset();

    // Paced by the test: the span is open (with its time to first chunk) after the first frame only.
    const gate = new Gate();
    env.server.handle(sseHandler(frames, { gate }));
    gate.release(1);
    const seen = post(http, url, [anthropicBody.slice(0, 20), anthropicBody.slice(20, 50), anthropicBody.slice(50)], style);
    expect(env.tracing.llmSpans()).toHaveLength(0);
    gate.open();
    const view = await seen;
    expect(view).toEqual(reference);
    expect(view.flowingAtResponse).toBeNull();
    expect(view.dataListenersAtResponse).toBe(0);
    expect(view.body).toBe(Buffer.concat(frames).toString("utf8"));
    // The request body written in three parts reached the server whole.
    expect(env.server.requests.at(-1)?.body).toBe(anthropicBody);

    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.provider.name"]).toBe("anthropic");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(12);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(30);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["end_turn"]);
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("an app that reads nothing until the stream is over still gets every byte, in paused mode", async () => {
    const frames = sseFrames("anthropic/anthropic-text.chunks.txt", "anthropic");
    const url = `${env.server.baseUrl}/v1/messages`;
    const late = () =>
      new Promise<AppView>((resolve, reject) => {
        let ended!: () => void;
        const serverDone = new Promise<void>((r) => (ended = r));
        env.server.handle(sseHandler(frames, { onEnd: ended }));
        const req = http.request(url, { method: "POST" }, (res) => {
          // Start reading only once the server has sent everything.
          serverDone.then(() => readResponse(res, "paused")).then(resolve, reject);
        });
        req.on("error", reject);
        req.end(anthropicBody);
      });
    const reference = await env.withoutCapture(late);
    env.tracing.reset();
    expect(await late()).toEqual(reference);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(30);
  });

  it("a connection reset mid-stream: the app sees the same error, the span says so", async () => {
    const frames = sseFrames("anthropic/anthropic-text.chunks.txt", "anthropic");
    const url = `${env.server.baseUrl}/v1/messages`;
    const failure = (error: unknown) => (error as { view?: AppView }).view;
    env.server.handle(sseHandler(frames, { resetAfter: 3 }));
    const reference = await env.withoutCapture(() => post(http, url, [anthropicBody], "flowing").catch(failure));
    env.tracing.reset();
    expect(await post(http, url, [anthropicBody], "flowing").catch(failure)).toEqual(reference);
    expect(reference?.events).toContain("error:aborted");
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["error.type"]).toBe("ECONNRESET");
  });

  it("requests that are not LLM calls are left alone", async () => {
    env.server.handle(jsonHandler('{"ok":true}'));
    await post(http, `${env.server.baseUrl}/v1/messages`, ['{"text":"a chat app message"}'], "flowing");
    await post(http, `${env.server.baseUrl}/api/upload`, [chatBody], "flowing");
    await new Promise<void>((resolve, reject) =>
      http.get(`${env.server.baseUrl}/v1/chat/completions`, (res) => readResponse(res, "flowing").then(() => resolve(), reject)),
    );
    expect(env.tracing.llmSpans()).toHaveLength(0);
  });
});

describe("node:https through https.request (self-signed certificate made for the test)", () => {
  const tls = async () => {
    const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
      keySize: 2048,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    certificate = pems.cert;
    return { tls: { key: pems.private, cert: pems.cert } };
  };
  let certificate = "";
  const env = useCaptureEnv(undefined, { server: tls });

  it("JSON over TLS: tokens exact, the app's bytes unchanged", async () => {
    const body = fixtureBytes("anthropic/anthropic-text.json");
    env.server.handle(jsonHandler(body));
    const url = `${env.server.baseUrl}/v1/messages`;
    const request = JSON.stringify({ ...JSON.parse(anthropicBody), stream: false });
    const reference = await env.withoutCapture(() => post(https, url, [request], "paused", { ca: certificate }));
    env.tracing.reset();
    const view = await post(https, url, [request], "paused", { ca: certificate });
    expect(view).toEqual(reference);
    expect(view.body).toBe(body.toString("utf8"));
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(12);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(29);
    expect(attributes["server.port"]).toBe(env.server.port);
  });
});
