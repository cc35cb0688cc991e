// Ground truth: one agent run with two steps, a tool, a timed-out attempt and its retry, and a
// context that grows from the first step to the second, priced with the default catalog
// (@pydantic/genai-prices 0.1.8: gpt-4o $2.5/$10 per M input/output tokens, gpt-4.1-nano
// $0.1/$0.4). Every figure was worked out by hand (the comments show how); the whole report
// must equal it.

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import type { Report } from "../../src/report.js";
import { attempt, llm, step, tool, workflow } from "@jotty/test-kit/spans";

//  W   invoke_workflow agent  0 ─────────────────────────────────────────── 1000
//  S0  plan (step 0)            10 ────── 300
//  A01   attempt 1 (ok)          11 ───── 299
//  L1      llm_call               20 ─ 220      input 1000, output 100, $0.01, hash h1
//  T1      execute_tool search            230 ─ 290
//  S1  write (step 1, 2 attempts)             310 ─────────────────────── 990
//  A11   attempt 1 (timeout)                   311 ─ 510
//  L2      llm_call (aborted, error)            320 ─ 510   input 3000, output 0, no cost attribute
//                                                            (priced: 3000 × 2.5e-6 = $0.0075), hash h2
//  A12   attempt 2 (ok)                                  530 ────────── 989
//  L3      llm_call                                       540 ──────── 980   input 3000, output 200, $0.032, hash h2
const spans = [
  llm({ trace: "a1", id: "L1", parent: "A01", start: 20, end: 220, input: 1000, output: 100, cost: 0.01, hash: "h1" }),
  tool({ trace: "a1", id: "T1", parent: "A01", start: 230, end: 290, tool: "search" }),
  attempt({ trace: "a1", id: "A01", parent: "S0", start: 11, end: 299, attempt: 1, outcome: "ok" }),
  step({ trace: "a1", id: "S0", parent: "W", start: 10, end: 300, step: "plan", index: 0 }),
  llm({ trace: "a1", id: "L2", parent: "A11", start: 320, end: 510, input: 3000, output: 0, hash: "h2", error: true }),
  attempt({ trace: "a1", id: "A11", parent: "S1", start: 311, end: 510, attempt: 1, outcome: "timeout" }),
  llm({ trace: "a1", id: "L3", parent: "A12", start: 540, end: 980, input: 3000, output: 200, cost: 0.032, hash: "h2" }),
  attempt({ trace: "a1", id: "A12", parent: "S1", start: 530, end: 989, attempt: 2, outcome: "ok" }),
  step({
    trace: "a1",
    id: "S1",
    parent: "W",
    start: 310,
    end: 990,
    step: "write",
    index: 1,
    attempts: 2,
    events: [
      { name: "jotty.step.timeout", at: 510 },
      { name: "jotty.step.retry", at: 510, attrs: { "jotty.step.backoff_ms": 20 } },
    ],
  }),
  workflow({ trace: "a1", id: "W", start: 0, end: 1000 }),
];

// Self time = critical time here (nothing overlaps): W 30, S0 2, A01 28, L1 200, T1 60,
// S1 22, A11 9, L2 190, A12 19, L3 440 — summing to the 1000 ms of wall time.
const expected: Report = {
  schemaVersion: 1,
  source: { kind: "file", location: "run.jsonl" },
  window: { start: "1970-01-12T13:46:40.000Z", end: "1970-01-12T13:46:41.000Z" },
  traces: 1,
  spans: 10,
  wallMs: 1000,
  timeDistribution: [
    { component: "LLM calls", ms: 830, share: 0.83 }, // 200 + 190 + 440
    { component: "tools", ms: 60, share: 0.06 },
    { component: "other (not LLM or tools)", ms: 110, share: 0.11 }, // 1000 - 830 - 60
  ],
  llm: {
    calls: 3,
    ms: 830,
    share: 0.83,
    criticalShare: 0.83,
    inputTokens: 7000,
    outputTokens: 300,
    cacheReadTokens: 0,
    costUsd: 0.0495,
    byModel: [
      // durations 190, 200, 440: nearest-rank p50 = 2nd, p95 = 3rd
      { provider: "openai", model: "gpt-4o", calls: 3, inputTokens: 7000, outputTokens: 300, cacheReadTokens: 0, costUsd: 0.0495, p50Ms: 200, p95Ms: 440 },
    ],
  },
  operations: [
    {
      name: "llm_call",
      count: 3,
      totalMs: 830,
      selfMs: 830,
      selfShare: 0.83,
      criticalMs: 830,
      criticalShare: 0.83,
      p50Ms: 200,
      p95Ms: 440,
      maxMs: 440,
      errors: 1,
    },
    {
      name: "execute_tool search",
      count: 1,
      totalMs: 60,
      selfMs: 60,
      selfShare: 0.06,
      criticalMs: 60,
      criticalShare: 0.06,
      p50Ms: 60,
      p95Ms: 60,
      maxMs: 60,
      errors: 0,
    },
    // A01 288 ms (self 28) and A11 199 ms (self 9, timed out)
    {
      name: "attempt 1",
      count: 2,
      totalMs: 487,
      selfMs: 37,
      selfShare: 0.037,
      criticalMs: 37,
      criticalShare: 0.037,
      p50Ms: 199,
      p95Ms: 288,
      maxMs: 288,
      errors: 1,
    },
    {
      name: "invoke_workflow agent",
      count: 1,
      totalMs: 1000,
      selfMs: 30,
      selfShare: 0.03,
      criticalMs: 30,
      criticalShare: 0.03,
      p50Ms: 1000,
      p95Ms: 1000,
      maxMs: 1000,
      errors: 0,
    },
    {
      name: "write",
      count: 1,
      totalMs: 680,
      selfMs: 22,
      selfShare: 0.022,
      criticalMs: 22,
      criticalShare: 0.022,
      p50Ms: 680,
      p95Ms: 680,
      maxMs: 680,
      errors: 0,
    },
    {
      name: "attempt 2",
      count: 1,
      totalMs: 459,
      selfMs: 19,
      selfShare: 0.019,
      criticalMs: 19,
      criticalShare: 0.019,
      p50Ms: 459,
      p95Ms: 459,
      maxMs: 459,
      errors: 0,
    },
    { name: "plan", count: 1, totalMs: 290, selfMs: 2, selfShare: 0.002, criticalMs: 2, criticalShare: 0.002, p50Ms: 290, p95Ms: 290, maxMs: 290, errors: 0 },
  ],
  steps: [
    {
      workflow: "agent",
      name: "plan",
      position: 1,
      count: 1,
      meanMs: 290,
      p95Ms: 290,
      share: 0.29,
      meanInputTokens: 1000,
      timeouts: 0,
      retries: 0,
      failures: 0,
    },
    {
      workflow: "agent",
      name: "write",
      position: 2,
      count: 1,
      meanMs: 680,
      p95Ms: 680,
      share: 0.68,
      meanInputTokens: 3000,
      timeouts: 1,
      retries: 1,
      failures: 0,
    },
  ],
  runs: { count: 1, succeeded: 1, successRate: 1 },
  bottlenecks: [
    { name: "LLM calls", impact: "critical", share: 0.83, why: "3 LLM call(s) cover 83 % of wall time and 83 % of the critical path" },
    {
      name: 'step 2: write ("agent")',
      impact: "critical",
      share: 0.68,
      why: "1 run(s), mean 680 ms, p95 680 ms; the slowest step of agent; mean input tokens 3000 vs 1000 in plan: the context has grown; 1 timeout and 1 retry",
    },
    { name: 'step 1: plan ("agent")', impact: "high", share: 0.29, why: "1 run(s), mean 290 ms, p95 290 ms" },
    { name: "execute_tool search", impact: "low", share: 0.06, why: "6 % of the critical path (60 ms) over 1 span(s), self time 60 ms, p95 60 ms" },
  ],
  recommendations: [
    // No parallelize: S0 and S1 ran back to back, but steps of one workflow get the earlier
    // steps' results (and write's input holds plan's input and output: 3000 ≥ 1000 + 100 / 2).
    expect.objectContaining({
      // write's LLM calls took 190 + 440 ms against 2 × 200 ms at plan's pace
      // and (3000 - 1000) extra input tokens × 2 calls × $2.5e-6
      kind: "compress-context",
      target: 'steps of "agent": plan, write',
      estimatedSavingMs: 230,
      estimatedSavingUsd: 0.01,
      evidence:
        "mean input tokens per LLM call grow from step to step (plan 1000 → write 3000, 3.0×) over 3 call(s); summarise or trim the context carried forward",
    }),
    expect.objectContaining({
      // from the step's start (310) to the last attempt's start (530), and L2's cost
      id: 'timeouts:step 2: write ("agent")',
      kind: "timeouts",
      target: 'step 2: write ("agent")',
      estimatedSavingMs: 220,
      estimatedSavingUsd: 0.0075,
      evidence: "1 timeout in 1 run(s) of the step; the attempts that timed out and the backoff after them took 220 ms; e.g. trace a1",
      examples: [{ traceId: "a1", spanId: "S1" }],
    }),
    expect.objectContaining({
      // L1 and L3 (100 and 200 output tokens; L2 produced none): $0.042 on gpt-4o;
      // gpt-4.1-nano: 4000 × 1e-7 + 300 × 4e-7 = $0.00052
      kind: "model-selection",
      target: "openai gpt-4o",
      estimatedSavingMs: 0,
      estimatedSavingUsd: 0.04148,
      evidence: "2 of 3 call(s) produced at most 256 output tokens (mean 150); they cost $0.042 on gpt-4o, $0.00052 on gpt-4.1-nano; e.g. trace a1",
    }),
  ],
  // L2 failed (no status: aborted) in 190 ms; its retry runs under another attempt span, so no backoff is counted.
  errors: [
    { provider: "openai", model: "gpt-4o", type: "error", httpStatus: 0, count: 1, lostMs: 190, backoffMs: 0, examples: [{ traceId: "a1", spanId: "L2" }] },
  ],
  slowestTraces: [{ traceId: "a1", rootName: "invoke_workflow agent", durationMs: 1000, url: "http://localhost:16686/trace/a1" }],
  warnings: [],
};

describe("report of one agent run (ground truth)", () => {
  it("equals the hand-computed report", () => {
    const report = buildReport(spans, { source: { kind: "file", location: "run.jsonl" }, jaegerUrl: "http://localhost:16686/" });
    expect(report).toEqual(expected);
  });

  it("does not depend on the order spans arrive in", () => {
    const report = buildReport([...spans].reverse(), { source: { kind: "file", location: "run.jsonl" }, jaegerUrl: "http://localhost:16686/" });
    expect(report).toEqual(expected);
  });

  it("without attempt spans, reads timeouts and retried time from the step's events", () => {
    const flat = spans
      .filter((s) => !s.spanId.startsWith("A"))
      .map((s) => (s.parentSpanId === "A01" ? { ...s, parentSpanId: "S0" } : s.parentSpanId?.startsWith("A1") ? { ...s, parentSpanId: "S1" } : s));
    const report = buildReport(flat, { source: { kind: "file", location: "run.jsonl" } });
    expect(report.steps).toEqual(expected.steps);
    // retry event at 510 + 20 ms backoff - step start 310
    expect(report.recommendations.find((r) => r.kind === "timeouts")).toMatchObject({ estimatedSavingMs: 220 });
  });
});

describe("parallelize inside a step attempt", () => {
  it("names LLM calls run one after another in an attempt after their step", () => {
    const report = buildReport(
      [
        step({ trace: "p1", id: "S", start: 0, end: 100, step: "research", index: 0 }),
        attempt({ trace: "p1", id: "A", parent: "S", start: 1, end: 99, attempt: 1, outcome: "ok" }),
        llm({ trace: "p1", id: "L1", parent: "A", start: 10, end: 40, cost: 0.001 }),
        llm({ trace: "p1", id: "L2", parent: "A", start: 50, end: 90, cost: 0.001 }),
      ],
      { source: { kind: "file", location: "x" }, prices: null },
    );
    expect(report.recommendations.find((r) => r.kind === "parallelize")).toEqual(
      expect.objectContaining({
        kind: "parallelize",
        target: 'LLM calls under "research"',
        estimatedSavingMs: 30, // 30 + 40 - 40
        estimatedSavingUsd: 0,
        evidence: "2 LLM calls in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace p1",
      }),
    );
  });
});
