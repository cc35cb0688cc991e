// The report's errors section on a run of the real `openai` client (zero-code capture) against
// recorded error answers: a 429 the client retries after retry-after-ms, then a 500 it retries
// the same way, then the answer; a later 400 the client does not retry. Each error type is one
// row with its count and the time it lost: the failed call's wall time, plus the backoff until
// the retry for the two retried ones (none for the 400).
import OpenAI from "openai";
import { trace } from "@opentelemetry/api";
import { plainSection, sections, type Span } from "@jotty/engine";
import { buildReport } from "@jotty/engine/engine";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { describe, expect, it } from "vitest";
import { toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { openAIChatAnswer } from "./recorded-shapes.js";

const env = useCaptureEnv((baseUrl) => new OpenAI({ apiKey: "sk-canary-errors", baseURL: `${baseUrl}/v1`, maxRetries: 3 }));

const ERRORS: Record<number, { fixture: string; retryAfterMs?: number }> = {
  429: { fixture: "openai-chat/openai-rate-limit.429.json", retryAfterMs: 20 },
  500: { fixture: "openai-chat/openai-server-error.500.json", retryAfterMs: 30 },
  400: { fixture: "openai-chat/openai-invalid-request.400.json" },
};

/** Answers in this order: 429, 500, the answer, then 400. */
function serve(): void {
  const plan = [429, 500, 200, 400];
  env.server.handle((_req, res) => {
    const status = plan.shift() ?? 200;
    if (status === 200) {
      const answer = openAIChatAnswer({ content: "Done.", finishReason: "stop", promptTokens: 40, completionTokens: 3 }, "chatcmpl-errors-1");
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
      res.end(answer);
      return;
    }
    const { fixture, retryAfterMs } = ERRORS[status]!;
    res.writeHead(status, { "content-type": "application/json", ...(retryAfterMs !== undefined ? { "retry-after-ms": String(retryAfterMs) } : {}) });
    res.end(fixtureBytes(fixture));
  });
}

async function run(): Promise<Span[]> {
  serve();
  const client = env.client;
  const messages = [{ role: "user" as const, content: "Summarise the incident." }];
  let rejected: unknown;
  await trace.getTracer("errors-app").startActiveSpan("incident run", async (root) => {
    await client.chat.completions.create({ model: "gpt-4.1-nano", messages });
    rejected = await client.chat.completions.create({ model: "gpt-4.1-nano", messages }).catch((e: unknown) => e);
    root.end();
  });
  expect(rejected).toBeInstanceOf(OpenAI.BadRequestError);
  await env.tracing.llmSpansEnded(4);
  return env.tracing.spans().map(toNeutralSpan);
}

const calls = (spans: Span[]) => spans.filter((s) => s.name === "llm_call").sort((a, b) => a.startNs - b.startNs);
const roundMs = (ns: number) => Math.round(ns / 1e3) / 1e3;

describe("errors section (openai client, recorded error answers)", () => {
  it("one row per error type with its count, the failed call's time and the backoff before the retry", async () => {
    const spans = await run();
    const [refused, failed, answered, rejected] = calls(spans);
    expect(calls(spans)).toHaveLength(4);
    const report = buildReport(spans, { source: { kind: "in-process", location: "test" } });

    const wall = (s: Span) => s.endNs - s.startNs;
    const refusedBackoff = failed!.startNs - refused!.endNs;
    const failedBackoff = answered!.startNs - failed!.endNs;
    // The client waited what the answers asked for (its timer starts once it has read the
    // answer, a little after the span ended).
    expect(refusedBackoff).toBeGreaterThanOrEqual(19e6);
    expect(failedBackoff).toBeGreaterThanOrEqual(29e6);
    const row = (type: string) => report.errors!.find((e) => e.type === type);

    expect(report.errors).toHaveLength(3);
    expect(row("rate_limit_exceeded")).toEqual({
      provider: "openai",
      model: "gpt-4.1-nano",
      type: "rate_limit_exceeded",
      httpStatus: 429,
      count: 1,
      lostMs: roundMs(wall(refused!) + refusedBackoff),
      backoffMs: roundMs(refusedBackoff),
      examples: [{ traceId: refused!.traceId, spanId: refused!.spanId }],
    });
    expect(row("server_error")).toEqual({
      provider: "openai",
      model: "gpt-4.1-nano",
      type: "server_error",
      httpStatus: 500,
      count: 1,
      lostMs: roundMs(wall(failed!) + failedBackoff),
      backoffMs: roundMs(failedBackoff),
      examples: [{ traceId: failed!.traceId, spanId: failed!.spanId }],
    });
    // Not retried: the next call is the app's own, no backoff.
    expect(row("invalid_request_error")).toEqual({
      provider: "openai",
      model: "gpt-4.1-nano",
      type: "invalid_request_error",
      httpStatus: 400,
      count: 1,
      lostMs: roundMs(wall(rejected!)),
      backoffMs: 0,
      examples: [{ traceId: rejected!.traceId, spanId: rejected!.spanId }],
    });
    // Most time lost first: the two retried errors lost their backoff too.
    expect(report.errors!.map((e) => e.lostMs)).toEqual([...report.errors!.map((e) => e.lostMs)].sort((a, b) => b - a));

    // The 500 the client retried is also a retries finding naming it; the 429 is the rate limits'.
    const retried = report.recommendations.filter((r) => r.kind === "retries");
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatchObject({ target: "openai gpt-4.1-nano", estimatedSavingMs: roundMs(wall(failed!) + failedBackoff) });
    expect(retried[0]!.evidence).toMatch(/^1 call\(s\) failed and the client retried them \(server_error ×1\)/);

    // The text view: the section, and examples named by ids (the source is no Jaeger).
    const text = sections(report).find((s) => s.title.startsWith("Errors"))!;
    const lines = plainSection(text).join("\n");
    expect(lines).toContain("server_error");
    expect(lines).toContain(`trace ${failed!.traceId} span ${failed!.spanId}`);
    expect(lines).not.toContain("http");
  });

  it("a run without a failed call has no errors section", async () => {
    env.server.handle((_req, res) => {
      const answer = openAIChatAnswer({ content: "Done.", finishReason: "stop", promptTokens: 40, completionTokens: 3 }, "chatcmpl-errors-2");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(answer);
    });
    await env.client.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Hi" }] });
    await env.tracing.llmSpansEnded(1);
    const report = buildReport(env.tracing.spans().map(toNeutralSpan), { source: { kind: "in-process", location: "test" } });
    expect(report.llm.calls).toBe(1);
    expect(report.errors).toBeUndefined();
    expect(sections(report).map((s) => s.title)).not.toContain(expect.stringMatching(/^Errors/));
  });
});
