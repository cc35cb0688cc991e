// Gemini's 400 quoting the key through the real @google/genai client with content capture on
// (issue 24): the provider's message is kept on the llm_call and in the app's exception, the
// key shapes in it are not (raw, after a word character or an escape, URL-encoded), whichever
// way the request carried the key (x-goog-api-key and `?key=`).
import { ApiError, GoogleGenAI } from "@google/genai";
import { describe, expect, it } from "vitest";
import { profile } from "../../src/segments/profile.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import { CANARY, MARKER, secretsIn, spanText } from "./canaries.js";

const env = useCaptureEnv(undefined, { captureContent: true });

/** Gemini's recorded 400 (INVALID_ARGUMENT), its message replaced by one quoting `quoted`. */
function gemini400(quoted: string): string {
  const recorded = JSON.parse(fixtureBytes("google/google-structured-output-with-tools-error.json").toString("utf8"));
  return JSON.stringify({ error: { ...recorded.error, message: `API key not valid: ${quoted}. Please pass a valid API key.` } });
}

const withKeyInQuery: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  url.searchParams.set("key", CANARY.google);
  return fetch(url, init);
};

describe("@google/genai: a 400 quoting the key, content capture on", () => {
  it.each([
    ["the request's own key, raw and in ?key= form", `${CANARY.google} key=${CANARY.google}`],
    ["after a word character or an escape", `GEMINI_KEY_${CANARY.google} %22${CANARY.google}%22 %3D${CANARY.google}`],
    ["URL-encoded inside a quoted URL", encodeURIComponent(`https://generativelanguage.googleapis.com/v1/models?key=${CANARY.google}`)],
    ["another provider's key shape", `${CANARY.openai} ${CANARY.anthropic}`],
  ])("%s: the message is kept, the key is not", async (_what, quoted) => {
    env.server.handle(jsonHandler(gemini400(quoted), 400));
    const ai = new GoogleGenAI({ apiKey: CANARY.google, httpOptions: { baseUrl: env.server.baseUrl, fetch: withKeyInQuery } });
    const error = await profile("agent-step", () => ai.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain(MARKER);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.attributes["error.type"]).toBe("INVALID_ARGUMENT");
    expect(llm!.status.message).toMatch(/^API key not valid: .*REDACTED.*\. Please pass a valid API key\.$/);
    const segment = env.tracing.spans().find((s) => s.name === "agent-step")!;
    expect(String(segment.events.find((e) => e.name === "exception")?.attributes?.["exception.message"])).toContain("API key not valid");
    const text = spanText(env.tracing.spans());
    expect(secretsIn(text, CANARY), "a key in a span").toEqual([]);
    expect(text).not.toContain(MARKER);
  });
});
