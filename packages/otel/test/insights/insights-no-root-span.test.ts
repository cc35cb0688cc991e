// A zero-code app that opens no span of its own: every LLM call of the real `openai` client is its
// own trace, retries included. The report chains the calls into conversations by the prompt-prefix
// fingerprints the capture records, so the tool loop and the backoff after the 429s still show;
// two runs of the same agent stay two conversations; a clean run fires neither.
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { Report } from "@jotty/engine";
import { buildReport } from "@jotty/engine/engine";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { describe, expect, it } from "vitest";
import { toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { tokensOf } from "./recorded-shapes.js";
import { RETRY_AFTER_MS, researchAnswer } from "./research-model.js";
import { refusalWaitsMs } from "./refusal-waits.js";

const env = useCaptureEnv((baseUrl) => new OpenAI({ apiKey: "sk-canary-no-root", baseURL: `${baseUrl}/v1`, maxRetries: 3 }));

const TOOLS: ChatCompletionTool[] = [
  { type: "function", function: { name: "search", description: "Search the web", parameters: { type: "object", properties: { query: { type: "string" } } } } },
];

interface Scenario {
  /** 429s before the first answer of each run. */
  burst: number;
  sameArgs: boolean;
}

/** The model: three searches, then the answer; each run opens with `burst` refusals. */
function serve(s: Scenario): void {
  let refusals = 0;
  env.server.handle((_req, res, body) => {
    const request = JSON.parse(body) as { messages: { role: string }[] };
    const turn = request.messages.filter((m) => m.role === "tool").length;
    if (turn === 0 && refusals < s.burst) {
      refusals++;
      res.writeHead(429, { "content-type": "application/json", "retry-after-ms": String(RETRY_AFTER_MS) });
      res.end(fixtureBytes("openai-chat/openai-rate-limit.429.json"));
      return;
    }
    if (turn > 0) refusals = 0;
    const usage = { promptTokens: tokensOf(body), cachedTokens: 0 };
    const answer = researchAnswer(turn, { sameArgs: s.sameArgs, cut: false }, usage, turn < 3 ? `chatcmpl-lone-${turn}` : "chatcmpl-lone-end");
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
}

/** The app: a plain tool loop, no span of its own. */
async function runAgent(): Promise<void> {
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: "You are a research agent." },
    { role: "user", content: "What do the GenAI semantic conventions say about cached tokens?" },
  ];
  for (let turn = 0; turn < 6; turn++) {
    const completion = await env.client.chat.completions.create({ model: "gpt-4.1-nano", messages, tools: TOOLS });
    const message = completion.choices[0]!.message;
    if (!message.tool_calls?.length) break;
    messages.push(message);
    for (const call of message.tool_calls) messages.push({ role: "tool", tool_call_id: call.id, content: "result: nothing new" });
  }
}

async function reportOf(s: Scenario, runs: number): Promise<{ report: Report; waitsMs: number }> {
  serve(s);
  for (let r = 0; r < runs; r++) await runAgent();
  const llmSpans = await env.tracing.llmSpansEnded(runs * (4 + s.burst));
  // Each call, retries included, is a trace of its own.
  expect(new Set(llmSpans.map((sp) => sp.spanContext().traceId)).size).toBe(runs * (4 + s.burst));
  const spans = env.tracing.spans().map(toNeutralSpan);
  return { report: buildReport(spans, { source: { kind: "in-process", location: "test" } }), waitsMs: refusalWaitsMs(spans) };
}

const byKind = (report: Report, kind: string) => report.recommendations.filter((r) => r.kind === kind);

describe("insights with no root span (one trace per LLM call, openai client)", () => {
  it("chains the calls into conversations: the tool loop and the 429 backoff show", async () => {
    const { report, waitsMs } = await reportOf({ burst: 2, sameArgs: true }, 2);
    expect(report.llm.calls).toBe(12);
    // Two runs, each ending on its answer (the refusals were retried).
    expect(report.runs).toEqual({ count: 2, succeeded: 2, successRate: 1 });

    const [loop] = byKind(report, "tool-loop");
    expect(loop).toMatchObject({ target: "tool search" });
    // Two runs, two conversations, each with the same search three times.
    expect(loop!.evidence).toMatch(/^2 run\(s\) asked for search with the same arguments up to 3× \(4 repeat\(s\)\)/);

    const [limits] = byKind(report, "rate-limits");
    expect(limits!.evidence).toMatch(/^4 of 12 call\(s\) refused \(rate_limit_exceeded ×4, retry-after 20–20 ms\)/);
    const backoffMs = Number(/; ([\d.]+) ms of backoff/.exec(limits!.evidence)![1]);
    // Four waits of about retry-after-ms each, as the spans show them.
    expect(backoffMs).toBeCloseTo(waitsMs, 2);
    expect(waitsMs).toBeGreaterThan(0);
    expect(limits!.estimatedSavingMs).toBeGreaterThan(backoffMs);

    const [errors] = report.errors!;
    expect(errors).toMatchObject({ type: "rate_limit_exceeded", httpStatus: 429, count: 4, backoffMs });
  });

  it("a clean run (no 429, a new query each turn) fires neither", async () => {
    const { report } = await reportOf({ burst: 0, sameArgs: false }, 2);
    expect(report.llm.calls).toBe(8);
    expect(report.runs.count).toBe(2);
    expect(byKind(report, "tool-loop")).toEqual([]);
    expect(byKind(report, "rate-limits")).toEqual([]);
    expect(report.errors).toBeUndefined();
  });
});
