// llmCall around the real provider SDK clients (openai, @anthropic-ai/sdk) talking to a local
// HTTP server that replays the recorded responses from fixtures/llm.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import { SpanStatusCode } from "@opentelemetry/api";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { usageFromAnthropic, usageFromOpenAIChat } from "../../src/llm/usage-adapters.js";
import { installHarness } from "../otel-harness.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/llm/", import.meta.url));
const fixture = (file: string) => readFileSync(fixtures + file, "utf8");

const h = installHarness();
beforeEach(() => h.reset());

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/v1/chat/completions" && req.headers["x-scenario"] === "quota") {
        res.writeHead(429, { "content-type": "application/json" });
        res.end(fixture("openai-responses/openai-error.1.json"));
      } else if (req.url === "/v1/chat/completions" && req.headers["x-scenario"] === "stream") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const line of fixture("openai-chat/openai-text.chunks.txt").split("\n")) {
          if (line.trim() !== "") res.write(`data: ${line}\n\n`);
        }
        res.end("data: [DONE]\n\n");
      } else if (req.url === "/v1/chat/completions") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(fixture("openai-chat/openai-text.json"));
      } else if (req.url === "/v1/messages") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(fixture("anthropic/anthropic-text.json"));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const openai = () => new OpenAI({ apiKey: "test-key", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });

describe("llmCall() with real SDK clients", () => {
  it("OpenAI chat: usage, response and catalog cost on the span", async () => {
    const res = await llmCall({ provider: "openai", model: "gpt-4.1-nano", serverAddress: "127.0.0.1", serverPort: port }, async (call) => {
      const r = await openai().chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
      call.setUsage(usageFromOpenAIChat(r.usage)!);
      call.setResponse({ model: r.model, id: r.id, finishReasons: r.choices.map((c) => c.finish_reason) });
      return r;
    });
    expect(res.id).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    const span = h.span("llm_call");
    expect(span.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1-nano",
      "gen_ai.response.model": "gpt-4.1-nano-2025-04-14",
      "gen_ai.response.id": "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 16,
      "gen_ai.usage.output_tokens": 363,
      "gen_ai.usage.cache_read.input_tokens": 0,
      "gen_ai.usage.reasoning.output_tokens": 0,
      "server.address": "127.0.0.1",
      "server.port": port,
    });
    // gpt-4.1-nano: $0.10/M input, $0.40/M output
    expect(span.attributes["gen_ai.usage.cost"]).toBeCloseTo((16 * 0.1 + 363 * 0.4) / 1e6, 15);
  });

  it("OpenAI streaming: time to first chunk and the final chunk's usage", async () => {
    await llmCall({ provider: "openai", model: "gpt-4.1-nano", stream: true }, async (call) => {
      const started = performance.now();
      const stream = await openai().chat.completions.create(
        { model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } },
        { headers: { "x-scenario": "stream" } },
      );
      let first = true;
      for await (const chunk of stream) {
        if (first) call.setTimeToFirstChunk((performance.now() - started) / 1000);
        first = false;
        if (chunk.usage) call.setUsage(usageFromOpenAIChat(chunk.usage)!);
      }
    });
    const span = h.span("llm_call");
    expect(span.attributes["gen_ai.request.stream"]).toBe(true);
    expect(span.attributes["gen_ai.usage.input_tokens"]).toBe(16);
    expect(span.attributes["gen_ai.usage.output_tokens"]).toBe(300);
    const ttfc = span.attributes["gen_ai.response.time_to_first_chunk"] as number;
    expect(ttfc).toBeGreaterThan(0);
    expect(ttfc * 1e9).toBeLessThanOrEqual(span.duration[0] * 1e9 + span.duration[1]);
  });

  it("OpenAI 429: the SDK's RateLimitError is re-thrown and becomes error.type", async () => {
    const failing = llmCall({ provider: "openai", model: "gpt-4.1-nano" }, () =>
      openai().chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-scenario": "quota" } }),
    );
    await expect(failing).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    const span = h.span("llm_call");
    expect(span.attributes["error.type"]).toBe("RateLimitError");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toContain("exceeded your current quota");
  });

  it("Anthropic messages: usage through usageFromAnthropic and the catalog cost", async () => {
    const client = new Anthropic({ apiKey: "test-key", baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
    // The server replays a recorded claude-sonnet-4-5 response whatever the request names; the
    // request names another model because the SDK warns about sonnet-4-5's deprecation. The cost
    // follows the response model.
    await llmCall({ provider: "anthropic", model: "claude-haiku-4-5" }, async (call) => {
      const r = await client.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 100,
        messages: [{ role: "user", content: "hi" }],
      });
      call.setUsage(usageFromAnthropic(r.usage)!);
      call.setResponse({ model: r.model, id: r.id, finishReasons: r.stop_reason ? [r.stop_reason] : [] });
    });
    const span = h.span("llm_call");
    expect(span.attributes).toMatchObject({
      "gen_ai.response.model": "claude-sonnet-4-5-20250929",
      "gen_ai.response.id": "msg_01VdEjxAP5ahtHKrrRdNBteQ",
      "gen_ai.response.finish_reasons": ["end_turn"],
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 29,
      "gen_ai.usage.cache_read.input_tokens": 0,
      "gen_ai.usage.cache_creation.input_tokens": 0,
      "gen_ai.usage.cache_write.input_tokens": 0,
    });
    // claude-sonnet-4-5: $3/M input, $15/M output
    expect(span.attributes["gen_ai.usage.cost"]).toBeCloseTo((12 * 3 + 29 * 15) / 1e6, 15);
  });
});
