// Content capture off means no prompt, system text or answer on any span, error paths included.
// A provider's 400 that quotes the request (`Invalid content in messages: [{"role":"system",…`)
// reached the llm_call's status message and, through the SDK's error, the exception event of the
// app's profile() segment. Now the llm_call keeps the error's type and code, and the message is
// withheld from every span, as the SDKs quote it (raw in openai's, JSON-escaped in Anthropic's).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { profile } from "../../src/segments/profile.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { spanText } from "./canaries.js";

const env = useCaptureEnv();

const SYSTEM = "SYSTEMTEXT-you-are-the-payroll-agent-of-acme";
const PROMPT = "PROMPTTEXT-raise-the-salary-of-jane-doe";
const messages = [
  { role: "system" as const, content: SYSTEM },
  { role: "user" as const, content: PROMPT },
];
/** The provider quotes the request back, as OpenAI's invalid_value errors do. */
const quoted = `Invalid content in messages: ${JSON.stringify(messages)}`;

function expectNoContent(): void {
  const text = spanText(env.tracing.spans());
  for (const part of ["SYSTEMTEXT", "PROMPTTEXT"]) expect(text, part).not.toContain(part);
}

/** The app's segment around the call, with the SDK's error recorded on it (profile() rethrows). */
function appSegment(): { exceptionMessage: unknown; status: string | undefined } {
  const segment = env.tracing.spans().find((s) => s.name === "agent-step")!;
  const exception = segment.events.find((e) => e.name === "exception");
  expect(exception).toBeDefined();
  return { exceptionMessage: exception!.attributes!["exception.message"], status: segment.status.message };
}

describe("a provider error quoting the prompt, content capture off", () => {
  it("OpenAI 400 through the openai client: the llm_call keeps type and code, the app's segment keeps the status only", async () => {
    const body = JSON.stringify({ error: { message: quoted, type: "invalid_request_error", param: "messages", code: "invalid_value" } });
    env.server.handle(jsonHandler(body, 400));
    const client = new OpenAI({ apiKey: "sk-test-0000", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
    const error = await profile("agent-step", () => client.chat.completions.create({ model: "gpt-4.1-nano", messages })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain(PROMPT);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.status.message).toBe("invalid_request_error (invalid_value)");
    // error.type is the code, the specific reason; the status message keeps the type beside it.
    expect(llm!.attributes["error.type"]).toBe("invalid_value");
    expect(appSegment()).toEqual({ exceptionMessage: "400 REDACTED", status: "400 REDACTED" });
    expectNoContent();
  });

  it("Anthropic 400 through @anthropic-ai/sdk (the body quoted as JSON in the SDK's message)", async () => {
    const body = JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: quoted }, request_id: "req_011CV" });
    env.server.handle(jsonHandler(body, 400));
    const client = new Anthropic({ apiKey: "sk-ant-test-0000", baseURL: env.server.baseUrl, maxRetries: 0 });
    const request = { model: "claude-haiku-4-5", max_tokens: 5, system: SYSTEM, messages: [{ role: "user" as const, content: PROMPT }] };
    const error = await profile("agent-step", () => client.messages.create(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.status.message).toBe("invalid_request_error");
    const { exceptionMessage } = appSegment();
    expect(exceptionMessage).toContain('"type":"invalid_request_error","message":"REDACTED"');
    expectNoContent();
  });

  it("an OpenAI stream ending in an error event that quotes the prompt", async () => {
    const frames = sseFrames("openai-chat/openai-text.chunks.txt", "openai").slice(0, 3);
    frames.push(Buffer.from(`data: ${JSON.stringify({ error: { message: quoted, type: "invalid_request_error", code: "invalid_value" } })}\n\n`));
    env.server.handle(sseHandler(frames));
    const client = new OpenAI({ apiKey: "sk-test-0000", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
    const error = await profile("agent-step", async () => {
      for await (const _ of await client.chat.completions.create({ model: "gpt-4.1-nano", messages, stream: true })) void _;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.status.message).toBe("invalid_request_error (invalid_value)");
    expectNoContent();
  });

  it("a recorded quota error keeps its code: error.type and status without the provider's words", async () => {
    env.server.handle(jsonHandler(fixtureBytes("openai-responses/openai-error.1.json"), 429));
    const client = new OpenAI({ apiKey: "sk-test-0000", baseURL: `${env.server.baseUrl}/v1`, maxRetries: 0 });
    await expect(client.responses.create({ model: "gpt-5-mini", input: PROMPT })).rejects.toThrow(OpenAI.RateLimitError);
    const [llm] = await env.tracing.llmSpansEnded(1);
    expect(llm!.attributes["error.type"]).toBe("insufficient_quota");
    expect(llm!.status.message).toBe("insufficient_quota");
  });
});
