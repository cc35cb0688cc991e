// Secrets a request carries in forms the first rules missed: a header name first sent on a later
// request, a cookie's value quoted without its name, the user name of a URL's userinfo, and a
// gateway key in a path segment of the HTTP span's url.full / url.path. Real clients against the
// replay server; the app's error is recorded by profile() after the call, as an agent's would be.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { profile } from "../../src/segments/profile.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import { CANARY, MARKER, spanText } from "./canaries.js";

const env = useCaptureEnv();
const chat = { model: "gpt-4.1-nano", messages: [{ role: "user" as const, content: "hi" }] };
const client = (options: ConstructorParameters<typeof OpenAI>[0] = {}) =>
  new OpenAI({ apiKey: "sk-plain-0000-1111", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0, ...options });

/** The app fails after a successful call, quoting `text` (a log line, a config dump). */
function appFailsQuoting(text: string): void {
  expect(() =>
    profile("after-call", () => {
      throw new Error(`config: ${text}`);
    }),
  ).toThrow(text);
}

function recordedFailure(): string | undefined {
  return env.tracing.spans().find((s) => s.name === "after-call")?.status.message;
}

describe("secrets the request carried", () => {
  it("a header name first sent on the 4th request: known from that request on", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    for (let i = 0; i < 3; i++) await client().chat.completions.create(chat);
    await client({ defaultHeaders: { "x-gateway-token": CANARY.opaque } }).chat.completions.create(chat);
    await env.tracing.llmSpansEnded(4);
    expect(env.server.requests.at(-1)!.headers["x-gateway-token"]).toBe(CANARY.opaque);
    appFailsQuoting(CANARY.opaque);
    expect(recordedFailure()).toBe("config: REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("a cookie value quoted without its name=", async () => {
    const session = "sess-CANARY-0a1b2c3d4e5f";
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    await client({ defaultHeaders: { cookie: `theme=dark; session=${session}; lang=en` } }).chat.completions.create(chat);
    await env.tracing.llmSpansEnded(1);
    appFailsQuoting(session);
    expect(recordedFailure()).toBe("config: REDACTED");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("the user name of a URL's userinfo, in fetch's TypeError", async () => {
    const user = "agentuser-CANARY-4d5e6f";
    const url = `http://${user}:pw-${"x".repeat(8)}@127.0.0.1:${env.server.port}/v1/chat/completions`;
    const error = await fetch(url, { method: "POST", body: JSON.stringify(chat) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).message)).toContain(user);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.status.code).toBe(2);
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("a gateway key in a path segment (and in Authorization): not in the HTTP span's url.full or url.path", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    await client({ apiKey: CANARY.opaque, baseURL: `${env.server.baseUrl}/k/${CANARY.opaque}/v1` }).chat.completions.create(chat);
    expect(env.server.requests.at(-1)!.url).toBe(`/k/${CANARY.opaque}/v1/chat/completions`);
    await env.tracing.llmSpansEnded(1);
    const [http] = env.tracing.httpSpans();
    expect(http!.attributes["url.full"]).toBe(`${env.server.baseUrl}/k/REDACTED/v1/chat/completions`);
    expect(http!.attributes["url.path"]).toBe("/k/REDACTED/v1/chat/completions");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });

  it("a key shape in a path segment after an escape (%22sk-…) with no header: the shape rule takes it out", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
    await client({ baseURL: `${env.server.baseUrl}/k/%22${CANARY.openai}%22/v1` }).chat.completions.create(chat);
    await env.tracing.llmSpansEnded(1);
    const [http] = env.tracing.httpSpans();
    expect(http!.attributes["url.path"]).toBe("/k/%22REDACTED%22/v1/chat/completions");
    expect(spanText(env.tracing.spans())).not.toContain(MARKER);
  });
});
