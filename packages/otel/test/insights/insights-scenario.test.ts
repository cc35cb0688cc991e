// Issue 21's scenario as a user meets it: an agent on the real `openai` client whose run hits a
// 429 burst (the client retries after retry-after-ms), sends the same 6,000-token system prompt
// on every call with no cache reads, feeds a 60 KB tool result back every turn, calls the same
// search three times with the same arguments and ends on an answer cut at max_tokens. Captured
// with no code change (the fetch capture, as --import @jotty/otel/register installs it) into the
// in-memory SDK, then reported by the engine. The clean run of the same agent stays silent.
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { trace } from "@opentelemetry/api";
import type { Report } from "@jotty/engine";
import { buildReport } from "@jotty/engine/engine";
import { describe, expect, it } from "vitest";
import { toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { MAX_TOKENS, NEW_KINDS, type ResearchScenario, SYSTEM, serveResearchModel } from "./research-model.js";
import { refusalWaitsMs } from "./refusal-waits.js";

const env = useCaptureEnv((baseUrl) => new OpenAI({ apiKey: "sk-canary-insights", baseURL: `${baseUrl}/v1`, maxRetries: 3 }));

const TOOLS: ChatCompletionTool[] = [
  { type: "function", function: { name: "search", description: "Search the web", parameters: { type: "object", properties: { query: { type: "string" } } } } },
];

/** The app: a plain tool loop under its own root span, as agent frameworks make one. */
async function runAgent(s: ResearchScenario): Promise<void> {
  const client = env.client;
  await trace.getTracer("research-app").startActiveSpan("research run", async (root) => {
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: SYSTEM },
      { role: "user", content: "What do the GenAI semantic conventions say about cached tokens?" },
    ];
    for (let turn = 0; turn < 6; turn++) {
      const completion = await client.chat.completions.create({ model: "gpt-4.1-nano", messages, tools: TOOLS, max_tokens: MAX_TOKENS });
      const message = completion.choices[0]!.message;
      if (!message.tool_calls?.length) break;
      messages.push(message);
      for (const call of message.tool_calls) {
        messages.push({ role: "tool", tool_call_id: call.id, content: "result: " + "x".repeat(s.toolResultBytes - 8) });
      }
    }
    root.end();
  });
}

async function reportOf(s: ResearchScenario): Promise<{ report: Report; spanIds: Map<string, string>; waitsMs: number }> {
  serveResearchModel(env.server, s, "chatcmpl-insights");
  await runAgent(s);
  await env.tracing.llmSpansEnded(4 + s.burst);
  const spans = env.tracing.spans().map(toNeutralSpan);
  const spanIds = new Map(spans.map((sp) => [sp.spanId, sp.traceId]));
  return { report: buildReport(spans, { source: { kind: "in-process", location: "test" } }), spanIds, waitsMs: refusalWaitsMs(spans) };
}

describe("insights on the issue's scenario (openai client, zero-code capture)", () => {
  it("finds each of the five problems once, with a positive saving, a fix and examples from the input", async () => {
    const { report, spanIds, waitsMs } = await reportOf({ burst: 2, toolResultBytes: 60_000, sameArgs: true, cut: true, cached: false });
    expect(report.llm.calls).toBe(6);
    for (const kind of NEW_KINDS) {
      const found = report.recommendations.filter((r) => r.kind === kind);
      expect(found, kind).toHaveLength(1);
      const f = found[0]!;
      expect(f.id).toBe(`${f.kind}:${f.target}`);
      expect(f.estimatedSavingMs > 0 || f.estimatedSavingUsd > 0, kind).toBe(true);
      expect(f.fix.length, kind).toBeGreaterThan(20);
      expect(f.cause.length, kind).toBeGreaterThan(20);
      expect(f.validate).toContain("--baseline-file");
      expect(f.examples.length, kind).toBeGreaterThan(0);
      for (const e of f.examples) expect(spanIds.get(e.spanId), kind).toBe(e.traceId);
    }
    const byKind = (kind: string) => report.recommendations.find((r) => r.kind === kind)!;

    // Two refusals, each followed by the client's wait of retry-after-ms; error.type is OpenAI's code, not its type (tokens).
    expect(byKind("rate-limits")).toMatchObject({ target: "openai gpt-4.1-nano" });
    expect(byKind("rate-limits").evidence).toMatch(/^2 of 6 call\(s\) refused \(rate_limit_exceeded ×2, retry-after 20–20 ms\)/);
    expect(byKind("rate-limits").estimatedSavingMs).toBeGreaterThanOrEqual(waitsMs - 0.01);
    // The waits are the rate limits' time, not "other".
    const waits = report.timeDistribution.find((d) => d.component.startsWith("rate-limit waits"));
    expect(waits?.ms).toBeCloseTo(waitsMs, 2);
    expect(waitsMs).toBeGreaterThan(0);

    const caching = byKind("prompt-caching");
    expect(caching.target).toBe("openai gpt-4.1-nano");
    expect(caching.fix).toContain("prompt_cache_key");
    expect(caching.estimatedSavingUsd).toBeGreaterThan(0);
    // 3 calls after the first resent at least the 6,000-token system prompt.
    expect(caching.evidence).toMatch(/^3 of 4 call\(s\) resent a prefix/);

    const oversized = byKind("oversized-tool-results");
    expect(oversized.target).toBe("tool search");
    // Results 1, 2, 3 carried by turns 2, 3, 4: 1 + 2 + 3 = 6 carriages.
    expect(oversized.evidence).toMatch(/^3 result\(s\) of 16 KB or more \(largest 60 KB\) carried in 6 request\(s\)/);
    expect(oversized.estimatedSavingUsd).toBeGreaterThan(0);

    expect(byKind("tool-loop")).toMatchObject({ target: "tool search" });
    expect(byKind("tool-loop").evidence).toMatch(/same arguments up to 3× \(2 repeat\(s\)\)/);

    expect(byKind("verbose-output").evidence).toContain(`cut at their token limit (max_tokens ${MAX_TOKENS})`);
  });

  it("the clean run of the same agent (no 429, cached prefix, small results, distinct queries, a complete answer): none of the five", async () => {
    const { report } = await reportOf({ burst: 0, toolResultBytes: 1_000, sameArgs: false, cut: false, cached: true });
    expect(report.llm.calls).toBe(4);
    expect(report.recommendations.filter((r) => (NEW_KINDS as readonly string[]).includes(r.kind))).toEqual([]);
    expect(report.timeDistribution.map((d) => d.component)).not.toContain(expect.stringMatching(/^rate-limit/));
  });
});
