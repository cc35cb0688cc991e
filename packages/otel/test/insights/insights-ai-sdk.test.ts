// Issue 21's scenario on the Vercel AI SDK: the real `ai` 7 `generateText` tool loop with
// `@ai-sdk/openai` against recorded-shape Chat Completions answers, captured with no code change
// (the fetch capture; no AI SDK telemetry). The run hits a 429 burst the SDK's own retries wait
// out (it honours retry-after-ms), resends the same 6,000-token system prompt with no cache reads,
// feeds a 60 KB tool result back every step, calls the same search three times and ends on an
// answer cut at maxOutputTokens: the five insights fire as with the openai client, with or
// without a root span of the app's own. The clean run fires none.
import { createOpenAI } from "@ai-sdk/openai";
import { trace } from "@opentelemetry/api";
import { generateText, isStepCount, tool } from "ai";
import type { Report } from "@jotty/engine";
import { buildReport } from "@jotty/engine/engine";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { MAX_TOKENS, NEW_KINDS, type ResearchScenario, SYSTEM, serveResearchModel } from "./research-model.js";
import { refusalWaitsMs } from "./refusal-waits.js";

const env = useCaptureEnv((baseUrl) => createOpenAI({ apiKey: "sk-canary-ai-sdk", baseURL: `${baseUrl}/v1` }));

interface Scenario extends ResearchScenario {
  /** The app wraps the run in a span of its own (else each call is its own trace). */
  rooted: boolean;
}

async function runAgent(s: Scenario): Promise<void> {
  const run = () =>
    generateText({
      model: env.client.chat("gpt-4.1-nano"),
      system: SYSTEM,
      prompt: "What do the GenAI semantic conventions say about cached tokens?",
      tools: {
        search: tool({
          description: "Search the web",
          inputSchema: z.object({ query: z.string() }),
          execute: async () => "result: " + "x".repeat(s.toolResultBytes - 8),
        }),
      },
      stopWhen: isStepCount(6),
      maxOutputTokens: MAX_TOKENS,
      maxRetries: 3,
    });
  if (!s.rooted) {
    await run();
    return;
  }
  await trace.getTracer("research-app").startActiveSpan("research run", async (root) => {
    await run();
    root.end();
  });
}

async function reportOf(s: Scenario): Promise<{ report: Report; spanIds: Map<string, string>; waitsMs: number }> {
  serveResearchModel(env.server, s, "chatcmpl-ai-sdk");
  await runAgent(s);
  await env.tracing.llmSpansEnded(4 + s.burst);
  const spans = env.tracing.spans().map(toNeutralSpan);
  return {
    report: buildReport(spans, { source: { kind: "in-process", location: "test" } }),
    spanIds: new Map(spans.map((sp) => [sp.spanId, sp.traceId])),
    waitsMs: refusalWaitsMs(spans),
  };
}

const PROBLEMS = { burst: 2, toolResultBytes: 60_000, sameArgs: true, cut: true, cached: false };
const CLEAN = { burst: 0, toolResultBytes: 1_000, sameArgs: false, cut: false, cached: true };

describe("insights on the AI SDK (generateText + @ai-sdk/openai, zero-code capture)", () => {
  for (const rooted of [true, false]) {
    it(`finds each of the five problems once ${rooted ? "under the app's root span" : "with no root span (a trace per call)"}`, async () => {
      const { report, spanIds, waitsMs } = await reportOf({ ...PROBLEMS, rooted });
      expect(report.llm.calls).toBe(6);
      for (const kind of NEW_KINDS) {
        const found = report.recommendations.filter((r) => r.kind === kind);
        expect(found, kind).toHaveLength(1);
        const f = found[0]!;
        expect(f.estimatedSavingMs > 0 || f.estimatedSavingUsd > 0, kind).toBe(true);
        expect(f.examples.length, kind).toBeGreaterThan(0);
        for (const e of f.examples) expect(spanIds.get(e.spanId), kind).toBe(e.traceId);
      }
      const byKind = (kind: string) => report.recommendations.find((r) => r.kind === kind)!;
      // The SDK's own retries, each after the retry-after-ms it was asked to wait.
      expect(byKind("rate-limits").evidence).toMatch(/^2 of 6 call\(s\) refused \(rate_limit_exceeded ×2, retry-after 20–20 ms\)/);
      const backoffMs = Number(/; ([\d.]+) ms of backoff/.exec(byKind("rate-limits").evidence)![1]);
      expect(backoffMs).toBeCloseTo(waitsMs, 2);
      expect(waitsMs).toBeGreaterThan(0);
      expect(report.errors).toMatchObject([{ provider: "openai", model: "gpt-4.1-nano", type: "rate_limit_exceeded", httpStatus: 429, count: 2, backoffMs }]);

      expect(byKind("prompt-caching").evidence).toMatch(/^3 of 4 call\(s\) resent a prefix/);
      expect(byKind("oversized-tool-results")).toMatchObject({ target: "tool search" });
      expect(byKind("oversized-tool-results").evidence).toMatch(/^3 result\(s\) of 16 KB or more \(largest 60 KB\) carried in 6 request\(s\)/);
      expect(byKind("tool-loop").evidence).toMatch(/^1 run\(s\) asked for search with the same arguments up to 3× \(2 repeat\(s\)\)/);
      expect(byKind("verbose-output").evidence).toContain(`cut at their token limit (max_tokens ${MAX_TOKENS})`);
    });
  }

  it("the clean run (no 429, cached prefix, small results, distinct queries, a complete answer): none of the five", async () => {
    const { report } = await reportOf({ ...CLEAN, rooted: true });
    expect(report.llm.calls).toBe(4);
    expect(report.recommendations.filter((r) => (NEW_KINDS as readonly string[]).includes(r.kind))).toEqual([]);
    expect(report.errors).toBeUndefined();
  });
});
