// Ground truth: two traces over two services with parallel LLM calls, prompts repeated across
// traces, cached input tokens, and calls priced from a price table (no gen_ai.usage.cost).

import { describe, expect, it } from "vitest";
import { buildReport, createReportBuilder, type PriceLookup } from "../../src/engine/index.js";
import type { Report } from "../../src/report.js";
import { llm, span } from "@jotty/test-kit/spans";

// USD per token.
const PRICES: Record<string, { input: number; output: number; cacheRead?: number }> = {
  "gpt-4o": { input: 2e-6, output: 1e-5, cacheRead: 1e-6 },
  "gpt-4o-mini": { input: 2e-7, output: 1e-6, cacheRead: 1e-7 },
  "gpt-4.1-nano": { input: 1e-7, output: 4e-7 },
};
const prices: PriceLookup = (provider, model) => (provider === "openai" ? PRICES[model] : undefined);

// b1: handle 0..500 ── retrieve 0..98 (service retriever)
//                   ── P1 100..400 gpt-4o  in 2000 (500 cached) out 50  hash hA   $0.004
//                   ── P2 150..300 gpt-4o  in 1000 out 20             hash hB   $0.0022   (inside P1's time)
//                   ── P3 420..480 gpt-4o-mini in 100 out 10          hash hC   $0.00003
// b2: handle 0..300 ── P4 10..210  gpt-4o  in 2000 out 40             hash hA   $0.0044
//                   ── P5 220..288 gpt-4o  in 1000 out 30             hash hB   $0.0023
const spans = [
  span({ trace: "b1", id: "R", name: "handle", start: 0, end: 500 }),
  span({ trace: "b1", id: "Q", parent: "R", name: "retrieve", start: 0, end: 98, service: "retriever" }),
  llm({ trace: "b1", id: "P1", parent: "R", start: 100, end: 400, input: 2000, cacheRead: 500, output: 50, hash: "hA" }),
  llm({ trace: "b1", id: "P2", parent: "R", start: 150, end: 300, input: 1000, output: 20, hash: "hB" }),
  llm({ trace: "b1", id: "P3", parent: "R", start: 420, end: 480, model: "gpt-4o-mini", input: 100, output: 10, hash: "hC" }),
  span({ trace: "b2", id: "R", name: "handle", start: 0, end: 300 }),
  llm({ trace: "b2", id: "P4", parent: "R", start: 10, end: 210, input: 2000, output: 40, hash: "hA" }),
  llm({ trace: "b2", id: "P5", parent: "R", start: 220, end: 288, input: 1000, output: 30, hash: "hB" }),
];

// Critical path — b1: R[480,500] P3[420,480] R[400,420] P1[100,400] R[98,100] Q[0,98] (P2 overlaps
// P1, so it is off the path); b2: R 12 + P5 68 + R 10 + P4 200 + R 10. Wall 500 + 300 = 800.
// Self: b1 R 42, Q 98, P1 300, P2 150, P3 60 (650); b2 R 32, P4 200, P5 68 (300); 950 in all.
const expected: Report = {
  schemaVersion: 1,
  source: { kind: "jaeger", location: "http://localhost:16686" },
  window: { start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T01:00:00.000Z" },
  traces: 2,
  spans: 8,
  wallMs: 800,
  timeDistribution: [
    { component: "LLM calls", ms: 628, share: 0.785 }, // b1 [100,400] ∪ [150,300] ∪ [420,480] = 360, b2 200 + 68
    { component: "other (not LLM or tools)", ms: 172, share: 0.215 },
  ],
  llm: {
    calls: 5,
    ms: 628,
    share: 0.785,
    criticalShare: 0.785, // P1 300 + P3 60 + P4 200 + P5 68 of 800
    inputTokens: 6100,
    outputTokens: 150,
    cacheReadTokens: 500,
    costUsd: 0.01293,
    byModel: [
      { provider: "openai", model: "gpt-4o", calls: 4, inputTokens: 6000, outputTokens: 140, cacheReadTokens: 500, costUsd: 0.0129, p50Ms: 150, p95Ms: 300 },
      { provider: "openai", model: "gpt-4o-mini", calls: 1, inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, costUsd: 0.00003, p50Ms: 60, p95Ms: 60 },
    ],
  },
  operations: [
    // two services, so names carry the service
    {
      name: "llm_call (agent)",
      count: 5,
      totalMs: 778,
      selfMs: 778,
      selfShare: 0.8189,
      criticalMs: 628,
      criticalShare: 0.785,
      p50Ms: 150,
      p95Ms: 300,
      maxMs: 300,
      errors: 0,
    },
    {
      name: "retrieve (retriever)",
      count: 1,
      totalMs: 98,
      selfMs: 98,
      selfShare: 0.1032,
      criticalMs: 98,
      criticalShare: 0.1225,
      p50Ms: 98,
      p95Ms: 98,
      maxMs: 98,
      errors: 0,
    },
    {
      name: "handle (agent)",
      count: 2,
      totalMs: 800,
      selfMs: 74,
      selfShare: 0.0779,
      criticalMs: 74,
      criticalShare: 0.0925,
      p50Ms: 300,
      p95Ms: 500,
      maxMs: 500,
      errors: 0,
    },
  ],
  steps: [],
  runs: { count: 2, succeeded: 2, successRate: 1 },
  bottlenecks: [
    { name: "LLM calls", impact: "critical", share: 0.785, why: "5 LLM call(s) cover 78.5 % of wall time and 78.5 % of the critical path" },
    { name: "retrieve (retriever)", impact: "medium", share: 0.1225, why: "12.3 % of the critical path (98 ms) over 1 span(s), self time 98 ms, p95 98 ms" },
    { name: "handle (agent)", impact: "low", share: 0.0925, why: "9.3 % of the critical path (74 ms) over 2 span(s), self time 74 ms, p95 500 ms" },
  ],
  recommendations: [
    expect.objectContaining({
      // hA: P4 (start 10) is the earliest, P1 repeats it: 300 ms on the path, $0.004;
      // hB: P2 is the earliest, P5 repeats it: 68 ms, $0.0023
      kind: "cache",
      target: "openai gpt-4o",
      estimatedSavingMs: 368,
      estimatedSavingUsd: 0.0063,
      evidence: "2 repeated call(s) of 2 prompt(s) seen more than once (up to 2×); e.g. trace b1, b2",
    }),
    expect.objectContaining({
      // b1: union 360 - longest 300 = 60; b2: 268 - 200 = 68
      kind: "parallelize",
      target: 'LLM calls under "handle"',
      estimatedSavingMs: 128,
      estimatedSavingUsd: 0,
      evidence:
        "5 LLM calls in 2 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace b1, b2",
    }),
    expect.objectContaining({
      // gpt-4.1-nano: 5500 × 1e-7 + 500 × 1e-7 (no cache price) + 140 × 4e-7 = $0.000656
      kind: "model-selection",
      target: "openai gpt-4o",
      estimatedSavingMs: 0,
      estimatedSavingUsd: 0.012244,
      evidence: "4 of 4 call(s) produced at most 256 output tokens (mean 35); they cost $0.0129 on gpt-4o, $0.000656 on gpt-4.1-nano; e.g. trace b1, b2",
    }),
    expect.objectContaining({
      kind: "model-selection",
      target: "openai gpt-4o-mini",
      estimatedSavingMs: 0,
      estimatedSavingUsd: 0.000016,
      evidence: "1 of 1 call(s) produced at most 256 output tokens (mean 10); they cost $0.00003 on gpt-4o-mini, $0.000014 on gpt-4.1-nano; e.g. trace b1",
    }),
  ],
  slowestTraces: [
    { traceId: "b1", rootName: "handle", durationMs: 500, url: "" },
    { traceId: "b2", rootName: "handle", durationMs: 300, url: "" },
  ],
  warnings: [],
};

const options = {
  source: { kind: "jaeger" as const, location: "http://localhost:16686" },
  window: { start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T01:00:00.000Z" },
  prices,
  cheaperModels: (provider: string) => (provider === "openai" ? ["gpt-4o-mini", "gpt-4.1-nano"] : []),
};

describe("report of parallel LLM calls over two services (ground truth)", () => {
  it("equals the hand-computed report", () => {
    expect(buildReport(spans, options)).toEqual(expected);
  });

  it("gives the same report when each trace is flushed as soon as it is complete", () => {
    const b = createReportBuilder(options);
    for (const s of spans.filter((s) => s.traceId === "b1")) b.add(s);
    b.flushTrace("b1");
    for (const s of spans.filter((s) => s.traceId === "b2")) b.add(s);
    b.flushTrace("b2");
    expect(b.finish()).toEqual(expected);
  });

  it("without prices: costs from gen_ai.usage.cost only, and no model-selection", () => {
    const report = buildReport(spans, { source: options.source, prices: null });
    expect(report.llm.costUsd).toBe(0);
    expect(report.recommendations.map((r) => r.kind)).toEqual(["cache", "parallelize"]);
  });
});

describe("bounded memory", () => {
  it("analyses the longest-idle traces early past maxPendingSpans, and says so when their spans come late", () => {
    const b = createReportBuilder({ ...options, maxPendingSpans: 4 });
    const late = spans.find((s) => s.spanId === "P3")!;
    for (const s of spans) if (s !== late) b.add(s); // b1's 4 spans are analysed when b2's first span arrives
    b.add(late);
    const report = b.finish();
    expect(report.traces).toBe(2);
    expect(report.spans).toBe(8);
    expect(report.wallMs).toBe(expected.wallMs);
    expect(report.slowestTraces).toEqual(expected.slowestTraces);
    expect(report.warnings).toEqual([
      "1 trace(s) analysed in parts, 1 span(s) after their trace's first part (more than 4 spans of unfinished traces held, or spans after flushTrace): wall time, span count and the slowest-traces row are the whole trace's, counted once; self time, critical path and steps are per part, a span whose parent fell in another part counting as a root (e.g. trace b1: 5 spans in 2 parts)",
    ]);
  });

  it("gives the exact report when each trace is complete before it is analysed early", () => {
    // b1's 5 spans, then b2's: at b2's 2nd span, 7 > 6 are held and b1, idle longest, is analysed
    const b = createReportBuilder({ ...options, maxPendingSpans: 6 });
    for (const s of spans) b.add(s);
    expect(b.finish()).toEqual(expected);
  });
});
