// Ground truth: an agent run where every llm_call has the HTTP CLIENT span of its request
// (`POST`, as the SDK's undici instrumentation makes it) as a child covering 98 % of the call.
// The operations table keeps Jaeger UI's self time (POST holds it), but every figure that
// attributes time for a decision — time distribution, bottlenecks, recommendations — counts the
// POST spans as part of their LLM call, and none of them names POST.

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import type { Span } from "../../src/model.js";
import type { Report } from "../../src/report.js";
import { llm, span, step, tool, workflow, type SpanSpec } from "@jotty/test-kit/spans";

const http = (s: SpanSpec & { host: string; path: string }): Span => ({
  ...span({
    ...s,
    name: "POST",
    attrs: {
      "http.request.method": "POST",
      "server.address": s.host,
      "server.port": 443,
      "url.full": `https://${s.host}${s.path}`,
      "http.response.status_code": 200,
    },
  }),
  kind: "CLIENT",
});
const openai = (s: SpanSpec) => http({ ...s, host: "api.openai.com", path: "/v1/chat/completions" });

//  W   invoke_workflow agent  0 ───────────────────────────────────────────── 1000
//  S0  plan (step 0)           10 ──────────────── 400
//  L1    llm_call               20 ── 220     input 1000, output 100, $0.01, hash h1
//  H1      POST                  22 ─ 218     196 ms = 98 % of L1
//  L2    llm_call                   230 ─ 330  input 1000, output 100, $0.01, hash h1 (a repeat)
//  H2      POST                      231 ─ 329
//  T1    execute_tool search               340 ─ 390
//  S1  write (step 1)                          410 ───────────────────── 990
//  L3    llm_call                               420 ───────────────── 920   input 2000, output 300, $0.02, hash h3
//  H3      POST                                  425 ─────────────── 915   490 ms = 98 % of L3
const spans = [
  workflow({ trace: "r1", id: "W", start: 0, end: 1000 }),
  step({ trace: "r1", id: "S0", parent: "W", start: 10, end: 400, step: "plan", index: 0 }),
  llm({ trace: "r1", id: "L1", parent: "S0", start: 20, end: 220, input: 1000, output: 100, cost: 0.01, hash: "h1" }),
  openai({ trace: "r1", id: "H1", parent: "L1", start: 22, end: 218 }),
  llm({ trace: "r1", id: "L2", parent: "S0", start: 230, end: 330, input: 1000, output: 100, cost: 0.01, hash: "h1" }),
  openai({ trace: "r1", id: "H2", parent: "L2", start: 231, end: 329 }),
  tool({ trace: "r1", id: "T1", parent: "S0", start: 340, end: 390, tool: "search" }),
  step({ trace: "r1", id: "S1", parent: "W", start: 410, end: 990, step: "write", index: 1 }),
  llm({ trace: "r1", id: "L3", parent: "S1", start: 420, end: 920, input: 2000, output: 300, cost: 0.02, hash: "h3" }),
  openai({ trace: "r1", id: "H3", parent: "L3", start: 425, end: 915 }),
];

// Nothing overlaps, so the critical time of each span equals its self time:
// W 30, S0 40, L1 4, H1 196, L2 2, H2 98, T1 50, S1 80, L3 10, H3 490 (1000 in all).
// Time in LLM calls (the calls and their POST children): 800 of wall and of the critical path.
const expected: Report = {
  schemaVersion: 1,
  source: { kind: "file", location: "run.jsonl" },
  window: { start: "1970-01-12T13:46:40.000Z", end: "1970-01-12T13:46:41.000Z" },
  traces: 1,
  spans: 10,
  wallMs: 1000,
  timeDistribution: [
    { component: "LLM calls", ms: 800, share: 0.8 }, // 200 + 100 + 500
    { component: "tools", ms: 50, share: 0.05 },
    { component: "other (not LLM or tools)", ms: 150, share: 0.15 },
  ],
  llm: {
    calls: 3,
    ms: 800,
    share: 0.8,
    criticalShare: 0.8, // L1 4 + H1 196 + L2 2 + H2 98 + L3 10 + H3 490
    inputTokens: 4000,
    outputTokens: 500,
    cacheReadTokens: 0,
    costUsd: 0.04,
    byModel: [
      { provider: "openai", model: "gpt-4o", calls: 3, inputTokens: 4000, outputTokens: 500, cacheReadTokens: 0, costUsd: 0.04, p50Ms: 200, p95Ms: 500 },
    ],
  },
  // Jaeger UI's semantics: POST holds the self and critical time, llm_call only the 2 % around it.
  operations: [
    {
      name: "POST",
      count: 3,
      totalMs: 784,
      selfMs: 784,
      selfShare: 0.784,
      criticalMs: 784,
      criticalShare: 0.784,
      p50Ms: 196,
      p95Ms: 490,
      maxMs: 490,
      errors: 0,
      llmTransport: true,
    },
    { name: "write", count: 1, totalMs: 580, selfMs: 80, selfShare: 0.08, criticalMs: 80, criticalShare: 0.08, p50Ms: 580, p95Ms: 580, maxMs: 580, errors: 0 },
    {
      name: "execute_tool search",
      count: 1,
      totalMs: 50,
      selfMs: 50,
      selfShare: 0.05,
      criticalMs: 50,
      criticalShare: 0.05,
      p50Ms: 50,
      p95Ms: 50,
      maxMs: 50,
      errors: 0,
    },
    { name: "plan", count: 1, totalMs: 390, selfMs: 40, selfShare: 0.04, criticalMs: 40, criticalShare: 0.04, p50Ms: 390, p95Ms: 390, maxMs: 390, errors: 0 },
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
      name: "llm_call",
      count: 3,
      totalMs: 800,
      selfMs: 16,
      selfShare: 0.016,
      criticalMs: 16,
      criticalShare: 0.016,
      p50Ms: 200,
      p95Ms: 500,
      maxMs: 500,
      errors: 0,
    },
  ],
  steps: [
    {
      workflow: "agent",
      name: "plan",
      position: 1,
      count: 1,
      meanMs: 390,
      p95Ms: 390,
      share: 0.39,
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
      meanMs: 580,
      p95Ms: 580,
      share: 0.58,
      meanInputTokens: 2000,
      timeouts: 0,
      retries: 0,
      failures: 0,
    },
  ],
  runs: { count: 1, succeeded: 1, successRate: 1 },
  // No POST: its 78.4 % of the critical path is the LLM calls' time.
  bottlenecks: [
    { name: "LLM calls", impact: "critical", share: 0.8, why: "3 LLM call(s) cover 80 % of wall time and 80 % of the critical path" },
    {
      name: 'step 2: write ("agent")',
      impact: "critical",
      share: 0.58,
      why: "1 run(s), mean 580 ms, p95 580 ms; the slowest step of agent; mean input tokens 2000 vs 1000 in plan: the context has grown",
    },
    { name: 'step 1: plan ("agent")', impact: "high", share: 0.39, why: "1 run(s), mean 390 ms, p95 390 ms" },
    { name: "execute_tool search", impact: "low", share: 0.05, why: "5 % of the critical path (50 ms) over 1 span(s), self time 50 ms, p95 50 ms" },
  ],
  recommendations: [
    expect.objectContaining({
      // write's one call took 500 ms against plan's pace of (200 + 100) / 2 = 150 ms; no prices
      kind: "compress-context",
      target: 'steps of "agent": plan, write',
      estimatedSavingMs: 350,
      estimatedSavingUsd: 0,
      evidence:
        "mean input tokens per LLM call grow from step to step (plan 1000 → write 2000, 2.0×) over 3 call(s); summarise or trim the context carried forward",
    }),
    expect.objectContaining({
      // L2 repeats L1: its critical time with its POST child, 2 + 98 ms, and its $0.01
      kind: "cache",
      target: "openai gpt-4o",
      estimatedSavingMs: 100,
      estimatedSavingUsd: 0.01,
      evidence: "1 repeated call(s) of 1 prompt(s) seen more than once (up to 2×); e.g. trace r1",
    }),
    expect.objectContaining({
      // L1 and L2 have the same input (L2 does not carry L1's output forward): 300 - 200.
      // plan and write are steps of one workflow: no advice for them.
      kind: "parallelize",
      target: 'LLM calls under "plan"',
      estimatedSavingMs: 100,
      estimatedSavingUsd: 0,
      evidence: "2 LLM calls in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace r1",
    }),
  ],
  slowestTraces: [{ traceId: "r1", rootName: "invoke_workflow agent", durationMs: 1000, url: "" }],
  warnings: [],
};

const options = { source: { kind: "file" as const, location: "run.jsonl" }, prices: null };

describe("HTTP CLIENT spans under LLM calls (ground truth)", () => {
  it("equals the hand-computed report", () => {
    expect(buildReport(spans, options)).toEqual(expected);
  });

  it("does not depend on the order spans arrive in", () => {
    expect(buildReport([...spans].reverse(), options)).toEqual(expected);
  });

  it("gives the same attribution as the trace without the POST spans", () => {
    const withoutHttp = buildReport(
      spans.filter((s) => s.name !== "POST"),
      options,
    );
    expect(withoutHttp.timeDistribution).toEqual(expected.timeDistribution);
    expect(withoutHttp.llm).toEqual(expected.llm);
    expect(withoutHttp.bottlenecks).toEqual(expected.bottlenecks);
    expect(withoutHttp.recommendations).toEqual(expected.recommendations);
  });
});

describe("an operation with spans both under LLM calls and outside them", () => {
  it("is judged as a bottleneck on its spans outside LLM calls only", () => {
    // A tool's own HTTP request (to a search API) is a POST too; only it can be a bottleneck.
    //  R handle 0..100 ── L llm_call 0..60 ── H1 POST 1..59
    //                 ── T execute_tool search 60..100 ── H2 POST 62..98
    const report = buildReport(
      [
        span({ trace: "m1", id: "R", name: "handle", start: 0, end: 100 }),
        llm({ trace: "m1", id: "L", parent: "R", start: 0, end: 60, input: 100, output: 10, cost: 0.001 }),
        openai({ trace: "m1", id: "H1", parent: "L", start: 1, end: 59 }),
        tool({ trace: "m1", id: "T", parent: "R", start: 60, end: 100, tool: "search" }),
        http({ trace: "m1", id: "H2", parent: "T", start: 62, end: 98, host: "search.example", path: "/q" }),
      ],
      options,
    );
    expect(report.operations.find((o) => o.name === "POST")).toEqual({
      name: "POST",
      count: 2,
      totalMs: 94,
      selfMs: 94,
      selfShare: 0.94,
      criticalMs: 94,
      criticalShare: 0.94,
      p50Ms: 36,
      p95Ms: 58,
      maxMs: 58,
      errors: 0,
    });
    expect(report.timeDistribution).toEqual([
      { component: "LLM calls", ms: 60, share: 0.6 },
      { component: "tools", ms: 40, share: 0.4 },
      { component: "other (not LLM or tools)", ms: 0, share: 0 },
    ]);
    expect(report.bottlenecks).toEqual([
      { name: "LLM calls", impact: "critical", share: 0.6, why: "1 LLM call(s) cover 60 % of wall time and 60 % of the critical path" },
      {
        name: "POST",
        impact: "high",
        share: 0.36,
        why: "36 % of the critical path (36 ms) over 1 span(s), self time 36 ms, p95 36 ms; 1 more below LLM calls count as LLM time",
      },
    ]);
  });

  it("never counts a tool called inside an LLM call as tool time", () => {
    //  R 0..100 ── L llm_call 0..80 ── T execute_tool lookup 10..30 (a provider-side tool, say)
    const report = buildReport(
      [
        span({ trace: "m2", id: "R", name: "handle", start: 0, end: 100 }),
        llm({ trace: "m2", id: "L", parent: "R", start: 0, end: 80, input: 100, output: 10, cost: 0.001 }),
        tool({ trace: "m2", id: "T", parent: "L", start: 10, end: 30, tool: "lookup" }),
      ],
      options,
    );
    expect(report.timeDistribution).toEqual([
      { component: "LLM calls", ms: 80, share: 0.8 },
      { component: "other (not LLM or tools)", ms: 20, share: 0.2 },
    ]);
    expect(report.bottlenecks.map((b) => b.name)).toEqual(["LLM calls", "handle"]);
  });
});
