// The hardening cases through the real @google/genai client (issue 24): the key in the
// x-goog-api-key header (the client's way), in `?key=` (the REST docs' way, added by the app's
// own fetch), and in a gateway's path; Gemini's 400 body ({"error":{"code","message","status"}})
// quoting the prompt with content capture off, and quoting a key shape with it on. The client
// re-serialises the whole body into its ApiError message, so the quoted text reaches the app's
// exception JSON-escaped.
import { ApiError, GoogleGenAI } from "@google/genai";
import { describe, expect, it } from "vitest";
import { profile } from "../../src/segments/profile.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import { CANARY, MARKER, secretsIn, spanText } from "./canaries.js";

const env = useCaptureEnv();

const SYSTEM = "SYSTEMTEXT-you-are-the-payroll-agent-of-acme";
const PROMPT = "PROMPTTEXT-raise-the-salary-of-jane-doe";
const MODEL = "gemini-2.5-flash";

/** Gemini's recorded 400 (INVALID_ARGUMENT), its message replaced by one quoting `quoted`. */
function gemini400(quoted: string): string {
  const recorded = JSON.parse(fixtureBytes("google/google-structured-output-with-tools-error.json").toString("utf8"));
  return JSON.stringify({ error: { ...recorded.error, message: `Invalid value at 'contents[0].parts[0].text' (${quoted})` } });
}

const client = (baseUrl: string, fetchWith?: typeof fetch) =>
  new GoogleGenAI({ apiKey: CANARY.google, httpOptions: { baseUrl, ...(fetchWith !== undefined ? { fetch: fetchWith } : {}) } });

/** The app's own fetch for the client: the key also in `?key=`, as Gemini's REST examples send it. */
const withKeyInQuery: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  url.searchParams.set("key", CANARY.google);
  return fetch(url, init);
};

const generate = (ai: GoogleGenAI) => ai.models.generateContent({ model: MODEL, contents: PROMPT, config: { systemInstruction: SYSTEM } });

function expectNoSecretOrContent(): void {
  const text = spanText(env.tracing.spans());
  expect(secretsIn(text, { google: CANARY.google }), "the key in a span").toEqual([]);
  expect(text).not.toContain(MARKER);
  for (const part of ["SYSTEMTEXT", "PROMPTTEXT"]) expect(text, part).not.toContain(part);
}

describe("@google/genai: the key in the header, the query and the path", () => {
  it.each([
    ["x-goog-api-key", (baseUrl: string) => client(baseUrl), `/v1/models/${MODEL}:generateContent`],
    ["?key= (the app's fetch)", (baseUrl: string) => client(baseUrl, withKeyInQuery), `/v1/models/${MODEL}:generateContent?key=${CANARY.google}`],
    ["a gateway's path", (baseUrl: string) => client(`${baseUrl}/k/${CANARY.google}/`), `/k/${CANARY.google}/v1/models/${MODEL}:generateContent`],
  ])("%s: the call is recorded with its usage, the key nowhere", async (_where, make, sentTo) => {
    env.server.handle(jsonHandler(fixtureBytes("google/google-text.json")));
    const response = await generate(make(env.server.baseUrl));
    expect(response.usageMetadata?.promptTokenCount).toBe(9);
    const request = env.server.requests.at(-1)!;
    expect(request.url).toBe(sentTo);
    expect(request.headers["x-goog-api-key"]).toBe(CANARY.google);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.attributes["gen_ai.provider.name"]).toBe("gcp.gemini");
    expect(llm!.attributes["gen_ai.request.model"]).toBe(MODEL);
    expect(llm!.attributes["gen_ai.usage.input_tokens"]).toBe(9);
    expectNoSecretOrContent();
  });
});

describe("@google/genai: a 400 quoting the request, content capture off", () => {
  it("the llm_call keeps status and code, the app's exception keeps neither prompt nor system text", async () => {
    env.server.handle(jsonHandler(gemini400(`${SYSTEM} ${PROMPT}`), 400));
    const error = await profile("agent-step", () => generate(client(env.server.baseUrl))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain(PROMPT);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.attributes["error.type"]).toBe("INVALID_ARGUMENT");
    expect(llm!.status.message).toBe("INVALID_ARGUMENT (400)");
    const segment = env.tracing.spans().find((s) => s.name === "agent-step")!;
    const exception = segment.events.find((e) => e.name === "exception");
    // The client's message is the body re-serialised: Gemini's message inside it is withheld.
    expect(exception?.attributes?.["exception.message"]).toBe('{"error":{"code":400,"message":"REDACTED","status":"INVALID_ARGUMENT"}}');
    expectNoSecretOrContent();
  });

  it("a 400 quoting the key (raw, after an escape, URL-encoded) with the key in ?key=: the key nowhere", async () => {
    const quoted = `key=${CANARY.google} %22${CANARY.google}%22 GEMINI_KEY_${CANARY.google} ${encodeURIComponent(`k=${CANARY.google}`)}`;
    env.server.handle(jsonHandler(gemini400(quoted), 400));
    await profile("agent-step", () => generate(client(env.server.baseUrl, withKeyInQuery))).catch(() => undefined);
    await env.tracing.llmSpansEnded(1);
    expectNoSecretOrContent();
  });
});
