// Privacy: credentials never appear in any span; message content only when asked for, then as
// valid GenAI-convention JSON within the size limit; the prompt hash always, without content.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { installFetchCapture } from "../../src/capture/index.js";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { useReplayTracing } from "./helpers/capture-env.js";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const CANARY = "sk-CANARY-7f3a9b2c4d5e6f708192a3b4";
const env = useReplayTracing();

function withCapture<T>(options: Parameters<typeof installFetchCapture>[0], fn: () => Promise<T>): Promise<T> {
  const uninstall = installFetchCapture(options);
  return fn().finally(uninstall);
}

/** Everything an exporter would send for the finished spans. */
function exported(): string {
  return JSON.stringify(
    env.tracing.spans().map((s) => ({
      name: s.name,
      attributes: s.attributes,
      events: s.events,
      links: s.links,
      status: s.status,
      resource: s.resource.attributes,
    })),
  );
}

describe("credentials", () => {
  it("a canary key sent every way a provider takes one appears in no span", async () => {
    await withCapture({ captureContent: true }, async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const openai = new OpenAI({ apiKey: CANARY, baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
      await openai.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
      await env.tracing.llmSpansEnded(1);

      env.server.handle(jsonHandler(fixtureBytes("anthropic/anthropic-text.json")));
      const anthropic = new Anthropic({ apiKey: CANARY, baseURL: env.server.baseUrl, maxRetries: 0 });
      await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] });
      await env.tracing.llmSpansEnded(2);

      // Azure OpenAI style: api-key header, deployment in the path.
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      await (
        await fetch(`${env.server.baseUrl}/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21`, {
          method: "POST",
          headers: { "api-key": CANARY, "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
        })
      ).text();
      await env.tracing.llmSpansEnded(3);

      env.server.handle(sseHandler(sseFrames("google/google-text.chunks.txt", "gemini")));
      await (
        await fetch(`${env.server.baseUrl}/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse&key=${CANARY}`, {
          method: "POST",
          headers: { "x-goog-api-key": CANARY, authorization: `Bearer ${CANARY}` },
          body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
        })
      ).text();
      await env.tracing.llmSpansEnded(4);
    });
    expect(env.server.requests.some((r) => r.headers.authorization === `Bearer ${CANARY}`)).toBe(true);
    expect(env.tracing.llmSpans()).toHaveLength(4);
    expect(env.tracing.llmSpans()[2]!.attributes["gen_ai.request.model"]).toBe("my-gpt");
    expect(exported()).not.toContain(CANARY);
    expect(exported()).not.toContain("CANARY");
  });
});

describe("message content", () => {
  const request = {
    model: "gpt-4.1-nano",
    messages: [
      { role: "system" as const, content: "You are terse." },
      { role: "user" as const, content: "Invent a holiday" },
    ],
    temperature: 0.2,
  };

  it("off by default: no content attributes, but a prompt hash", async () => {
    await withCapture({}, async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const client = new OpenAI({ apiKey: "k", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
      await client.chat.completions.create(request);
      const { attributes } = await onlyLlmCall(env.tracing);
      expect(attributes["gen_ai.input.messages"]).toBeUndefined();
      expect(attributes["gen_ai.output.messages"]).toBeUndefined();
      expect(attributes["jotty.llm.prompt_hash"]).toMatch(/^[0-9a-f]{32}$/);
      expect(exported()).not.toContain("Invent a holiday");
      expect(exported()).not.toContain("Galaxy Day");
    });
  });

  it("on: input and output messages as GenAI-convention JSON", async () => {
    await withCapture({ captureContent: true }, async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const client = new OpenAI({ apiKey: "k", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
      await client.chat.completions.create(request);
      const { attributes } = await onlyLlmCall(env.tracing);
      expect(JSON.parse(attributes["gen_ai.input.messages"] as string)).toEqual([
        { role: "system", parts: [{ type: "text", content: "You are terse." }] },
        { role: "user", parts: [{ type: "text", content: "Invent a holiday" }] },
      ]);
      const output = JSON.parse(attributes["gen_ai.output.messages"] as string) as Array<{
        role: string;
        parts: Array<{ type: string; content: string }>;
        finish_reason: string;
      }>;
      expect(output).toHaveLength(1);
      expect(output[0]!.role).toBe("assistant");
      expect(output[0]!.finish_reason).toBe("stop");
      expect(output[0]!.parts[0]!.content).toMatch(/^\*\*Holiday Name:\*\* Galaxy Day/);
    });
  });

  it("on, streaming Anthropic tool use: the tool call is rebuilt from the deltas", async () => {
    await withCapture({ captureContent: true }, async () => {
      env.server.handle(sseHandler(sseFrames("anthropic/anthropic-json-tool.1.chunks.txt", "anthropic")));
      const client = new Anthropic({ apiKey: "k", baseURL: env.server.baseUrl, maxRetries: 0 });
      const stream = await client.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 100,
        system: "Answer with the json tool.",
        messages: [{ role: "user", content: "Weather?" }],
        stream: true,
      });
      for await (const _ of stream) void _;
      const { attributes } = await onlyLlmCall(env.tracing);
      expect(JSON.parse(attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Answer with the json tool." }]);
      expect(JSON.parse(attributes["gen_ai.output.messages"] as string)).toEqual([
        {
          role: "assistant",
          finish_reason: "tool_use",
          parts: [
            {
              type: "tool_call",
              id: "toolu_01KFbKqPYSuAKujiL6mTfzYA",
              name: "json",
              arguments: { elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] },
            },
          ],
        },
      ]);
    });
  });

  it("on, streaming Gemini: the text pieces are joined", async () => {
    await withCapture({ captureContent: true }, async () => {
      env.server.handle(sseHandler(sseFrames("google/google-text.chunks.txt", "gemini")));
      await (
        await fetch(`${env.server.baseUrl}/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse`, {
          method: "POST",
          body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "How many r's?" }] }] }),
        })
      ).text();
      const { attributes } = await onlyLlmCall(env.tracing);
      const output = JSON.parse(attributes["gen_ai.output.messages"] as string) as Array<{ parts: Array<{ content: string }> }>;
      expect(output[0]!.parts[0]!.content).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y');
      expect(JSON.parse(attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "How many r's?" }] }]);
    });
  });

  it("truncated to the configured size and still valid JSON", async () => {
    await withCapture({ captureContent: true, maxContentChars: 300 }, async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const client = new OpenAI({ apiKey: "k", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
      const long = "🙂 long prompt ".repeat(500);
      await client.chat.completions.create({
        model: "gpt-4.1-nano",
        messages: Array.from({ length: 20 }, (_, i) => ({ role: "user" as const, content: `${i} ${long}` })),
      });
      const { attributes } = await onlyLlmCall(env.tracing);
      for (const name of ["gen_ai.input.messages", "gen_ai.output.messages"]) {
        const value = attributes[name] as string;
        expect(value.length).toBeLessThanOrEqual(300);
        expect(() => JSON.parse(value)).not.toThrow();
        expect(Array.isArray(JSON.parse(value))).toBe(true);
      }
      expect(attributes["jotty.llm.content_truncated"]).toBe(true);
    });
  });

  it("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true turns it on", async () => {
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = "true";
    try {
      await withCapture(undefined, async () => {
        env.server.handle(jsonHandler(fixtureBytes("anthropic/anthropic-text.json")));
        const client = new Anthropic({ apiKey: "k", baseURL: env.server.baseUrl, maxRetries: 0 });
        await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 5, messages: [{ role: "user", content: "Hello" }] });
        const { attributes } = await onlyLlmCall(env.tracing);
        expect(JSON.parse(attributes["gen_ai.output.messages"] as string)[0].parts[0].content).toMatch(/^Hello! I'm doing well/);
      });
    } finally {
      delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    }
  });
});

describe("prompt hash", () => {
  async function hashOf(body: object): Promise<string> {
    env.tracing.reset();
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    await (await fetch(`${env.server.baseUrl}/v1/chat/completions`, { method: "POST", body: JSON.stringify(body) })).text();
    const { attributes } = await onlyLlmCall(env.tracing);
    return attributes["jotty.llm.prompt_hash"] as string;
  }

  it("same request in any key order → same hash; stream switches ignored; other content → other hash", async () => {
    await withCapture({}, async () => {
      const a = await hashOf({ model: "m", temperature: 0, messages: [{ role: "user", content: "x" }] });
      const b = await hashOf({ messages: [{ content: "x", role: "user" }], temperature: 0, model: "m", stream: false });
      const c = await hashOf({ model: "m", temperature: 0, messages: [{ role: "user", content: "y" }] });
      const d = await hashOf({ model: "m", temperature: 1, messages: [{ role: "user", content: "x" }] });
      expect(a).toBe(b);
      expect(c).not.toBe(a);
      expect(d).not.toBe(a);
    });
  });
});
