// Error text carries keys onto spans: provider error bodies quoting the key, SDK errors carrying
// the body, and app errors naming a key. The llm_call, profile() and the capture redact the
// request's own secrets and well-known key shapes from status, exception message and stack.
// No span processor here (the app's own SDK set-up): the central points alone must do it.
// Content capture is on here, so provider messages are kept (redacted); with it off they are not
// recorded at all (content-off-errors.test.ts).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { profile } from "../../src/segments/profile.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import { CANARY, MARKER, maskedAsOpenAI, spanText } from "./canaries.js";

const env = useCaptureEnv(undefined, { captureContent: true });
afterEach(() => vi.unstubAllEnvs());

const chat = { model: "gpt-4.1-nano", messages: [{ role: "user" as const, content: "hi" }] };

function openAI401(message: string): string {
  return JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: "invalid_api_key" } });
}

describe("provider error bodies", () => {
  it("OpenAI 401 quoting the masked key, through the openai client: status keeps the words, not the key", async () => {
    const masked = maskedAsOpenAI(CANARY.openai);
    env.server.handle(
      jsonHandler(openAI401(`Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`), 401),
    );
    const client = new OpenAI({ apiKey: CANARY.openai, baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
    const error = await client.chat.completions.create(chat).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as Error).message).toContain(masked);
    const [span] = await env.tracing.llmSpansEnded(1);
    expect(span!.status.code).toBe(2);
    expect(span!.status.message).toContain("Incorrect API key provided: REDACTED");
    // The error's code, the specific reason (its type is the broad class).
    expect(span!.attributes["error.type"]).toBe("invalid_api_key");
    const text = spanText(env.tracing.spans());
    expect(text).not.toContain(masked.slice(0, 12));
    expect(text).not.toContain(MARKER);
  });

  it("a secret header sent for the first time after calls without it, echoed in a 401: redacted (an error reads its own request's headers whole)", async () => {
    const ok = JSON.stringify({
      id: "chatcmpl-1",
      object: "chat.completion",
      model: "gpt-4.1-nano",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
    env.server.handle(jsonHandler(ok));
    const plain = new OpenAI({ apiKey: "sk-plain-0000-1111", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
    for (let i = 0; i < 3; i++) await plain.chat.completions.create(chat);
    env.server.handle(jsonHandler(openAI401(`gateway refused x-gateway-token ${CANARY.opaque}`), 401));
    const gated = new OpenAI({
      apiKey: "sk-plain-0000-1111",
      baseURL: `${env.server.baseUrl}/v1`,
      maxRetries: 0,
      defaultHeaders: { "x-gateway-token": CANARY.opaque },
    });
    const error = await gated.chat.completions.create(chat).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const spans = await env.tracing.llmSpansEnded(4);
    expect(spans.at(-1)!.status.message).toBe("gateway refused x-gateway-token REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("a gateway echoing the whole key (no known shape) in an Anthropic-format 401: redacted because the request carried it", async () => {
    env.server.handle(
      jsonHandler(JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key: ${CANARY.opaque}` } }), 401),
    );
    const client = new Anthropic({ apiKey: CANARY.opaque, baseURL: env.server.baseUrl, maxRetries: 0 });
    const error = await client.messages.create({ ...chat, max_tokens: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(env.server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${CANARY.opaque}`);
    const [span] = await env.tracing.llmSpansEnded(1);
    expect(span!.status.message).toBe("invalid x-api-key: REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("a header the user names in JOTTY_REDACT_HEADERS is a secret too", async () => {
    vi.stubEnv("JOTTY_REDACT_HEADERS", "X-Other, X-Proxy-Pass");
    env.server.handle(jsonHandler(openAI401(`proxy refused pass ${CANARY.opaque}`), 401));
    const response = await fetch(`${env.server.baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "x-proxy-pass": CANARY.opaque, "content-type": "application/json" },
      body: JSON.stringify(chat),
    });
    expect(response.status).toBe(401);
    await response.text();
    const [span] = await env.tracing.llmSpansEnded(1);
    expect(span!.status.message).toBe("proxy refused pass REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("a key in ?key= quoted back by a Gemini-format 400", async () => {
    const body = JSON.stringify({ error: { code: 400, message: `API key not valid: ${CANARY.opaque}`, status: "INVALID_ARGUMENT" } });
    env.server.handle(jsonHandler(body, 400));
    const response = await fetch(`${env.server.baseUrl}/v1beta/models/gemini-2.5-flash:generateContent?key=${CANARY.opaque}`, {
      method: "POST",
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    expect(await response.text()).toBe(body);
    const [span] = await env.tracing.llmSpansEnded(1);
    expect(span!.status.message).toBe("API key not valid: REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });
});

describe("thrown errors", () => {
  it("llmCall() around the Anthropic client: the SDK's AuthenticationError (the body in its message) is redacted in the exception event, stack and status", async () => {
    env.server.handle(
      jsonHandler(JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${CANARY.anthropic}` } }), 401),
    );
    const client = new Anthropic({ apiKey: CANARY.anthropic, baseURL: env.server.baseUrl, maxRetries: 0 });
    const error = await llmCall({ provider: "anthropic", model: "claude-haiku-4-5" }, () => client.messages.create({ ...chat, max_tokens: 5 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as Error).message).toContain(CANARY.anthropic);
    const [span] = await env.tracing.llmSpansEnded(1);
    const exception = span!.events.find((e) => e.name === "exception")!;
    expect(exception.attributes!["exception.message"]).toContain("invalid x-api-key REDACTED");
    expect(exception.attributes!["exception.stacktrace"]).toContain("REDACTED");
    expect(exception.attributes!["exception.type"]).toBe("AuthenticationError");
    expect(span!.status.message).toContain("REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("llmCall(): an app error naming a key (every well-known shape) loses the keys, keeps the words", async () => {
    const message = `retry failed for ${Object.values(CANARY).slice(0, 6).join(", ")} and Authorization: Bearer ${CANARY.bearer}`;
    const error = await llmCall({ provider: "openai", model: "gpt-4.1-nano" }, async () => {
      throw new TypeError(message);
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(message);
    const [span] = await env.tracing.llmSpansEnded(1);
    expect(span!.status.message).toBe("retry failed for REDACTED, REDACTED, REDACTED, REDACTED, REDACTED, REDACTED and Authorization: Bearer REDACTED");
    expect(span!.attributes["error.type"]).toBe("TypeError");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("profile(): message and stack trace of a thrown error, sync and async", async () => {
    expect(() =>
      profile("sync-step", () => {
        throw new Error(`bad key ${CANARY.google}`);
      }),
    ).toThrow(CANARY.google);
    await expect(
      profile("async-step", async () => {
        throw new Error(`bad key ${CANARY.xai}`);
      }),
    ).rejects.toThrow(CANARY.xai);
    const spans = env.tracing.spans().filter((s) => s.name.endsWith("-step"));
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.status.message).toBe("bad key REDACTED");
      const exception = span.events.find((e) => e.name === "exception")!;
      expect(exception.attributes!["exception.message"]).toBe("bad key REDACTED");
      expect(exception.attributes!["exception.stacktrace"]).toMatch(/^Error: bad key REDACTED\n\s+at /);
    }
    expect(spanText(spans)).not.toContain(MARKER);
  });

  it("a thrown non-Error value", () => {
    expect(() =>
      profile("string-throw", () => {
        throw `key=${CANARY.groq}`;
      }),
    ).toThrow();
    const span = env.tracing.spans().find((s) => s.name === "string-throw")!;
    expect(span.status.message).toBe("key=REDACTED");
    expect(spanText([span])).not.toContain(MARKER);
  });
});
