// Ground truth for a trace with everything wrong at once: a duplicate span id, a missing
// parent, a parent cycle, a negative duration and a child outliving its parent (clock skew).

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import type { Report } from "../../src/report.js";
import { llm, span } from "@jotty/test-kit/spans";

const spans = [
  span({ trace: "c1", id: "R", name: "root", start: 0, end: 100 }),
  span({ trace: "c1", id: "A", parent: "R", name: "a", start: 10, end: 60 }),
  span({ trace: "c1", id: "A", parent: "R", name: "a-again", start: 20, end: 30 }), // duplicate: dropped
  span({ trace: "c1", id: "O", parent: "missing", name: "orphan", start: 200, end: 250 }), // becomes a root
  span({ trace: "c1", id: "X", parent: "Y", name: "x", start: 300, end: 310 }), // cycle X ↔ Y, cut at X
  span({ trace: "c1", id: "Y", parent: "X", name: "y", start: 305, end: 320 }), // and overflows X
  span({ trace: "c1", id: "N", parent: "R", name: "neg", start: 70, end: 65 }), // clamped to 70..70
  span({ trace: "c1", id: "K", parent: "A", name: "skew", start: 50, end: 80 }), // overflows A (ends 60)
];

// Roots R (100), O (50), X (10): critical paths 160 ms; wall 0..320.
// Self: R 50, A 40 (K clamped to 50..60), K 30, N 0, O 50, X 5, Y 15 = 190.
// Critical: R 30 (after N) + 10 (N..A) + 10 (before A) = 50, A 40, K 10 (truncated), O 50, X 5, Y 5.
const expected: Report = {
  schemaVersion: 1,
  source: { kind: "file", location: "broken.json" },
  window: { start: "1970-01-12T13:46:40.000Z", end: "1970-01-12T13:46:40.320Z" },
  traces: 1,
  spans: 7,
  wallMs: 320,
  timeDistribution: [{ component: "other (not LLM or tools)", ms: 320, share: 1 }],
  llm: { calls: 0, ms: 0, share: 0, criticalShare: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0, byModel: [] },
  operations: [
    { name: "orphan", count: 1, totalMs: 50, selfMs: 50, selfShare: 0.2632, criticalMs: 50, criticalShare: 0.3125, p50Ms: 50, p95Ms: 50, maxMs: 50, errors: 0 },
    {
      name: "root",
      count: 1,
      totalMs: 100,
      selfMs: 50,
      selfShare: 0.2632,
      criticalMs: 50,
      criticalShare: 0.3125,
      p50Ms: 100,
      p95Ms: 100,
      maxMs: 100,
      errors: 0,
    },
    { name: "a", count: 1, totalMs: 50, selfMs: 40, selfShare: 0.2105, criticalMs: 40, criticalShare: 0.25, p50Ms: 50, p95Ms: 50, maxMs: 50, errors: 0 },
    { name: "skew", count: 1, totalMs: 30, selfMs: 30, selfShare: 0.1579, criticalMs: 10, criticalShare: 0.0625, p50Ms: 30, p95Ms: 30, maxMs: 30, errors: 0 },
    { name: "y", count: 1, totalMs: 15, selfMs: 15, selfShare: 0.0789, criticalMs: 5, criticalShare: 0.0313, p50Ms: 15, p95Ms: 15, maxMs: 15, errors: 0 },
    { name: "x", count: 1, totalMs: 10, selfMs: 5, selfShare: 0.0263, criticalMs: 5, criticalShare: 0.0313, p50Ms: 10, p95Ms: 10, maxMs: 10, errors: 0 },
    { name: "neg", count: 1, totalMs: 0, selfMs: 0, selfShare: 0, criticalMs: 0, criticalShare: 0, p50Ms: 0, p95Ms: 0, maxMs: 0, errors: 0 },
  ],
  steps: [],
  runs: { count: 1, succeeded: 1, successRate: 1 },
  bottlenecks: [
    { name: "orphan", impact: "high", share: 0.3125, why: "31.3 % of the critical path (50 ms) over 1 span(s), self time 50 ms, p95 50 ms" },
    { name: "root", impact: "high", share: 0.3125, why: "31.3 % of the critical path (50 ms) over 1 span(s), self time 50 ms, p95 100 ms" },
    { name: "a", impact: "high", share: 0.25, why: "25 % of the critical path (40 ms) over 1 span(s), self time 40 ms, p95 50 ms" },
    { name: "skew", impact: "low", share: 0.0625, why: "6.3 % of the critical path (10 ms) over 1 span(s), self time 30 ms, p95 30 ms" },
  ],
  recommendations: [],
  slowestTraces: [{ traceId: "c1", rootName: "root", durationMs: 320, url: "" }],
  warnings: [
    "1 duplicate span id(s) in 1 trace(s): kept the first span of each id (e.g. trace c1)",
    "1 span(s) in 1 trace(s) name a parent that is missing: treated as roots (e.g. trace c1)",
    "1 parent cycle(s) in 1 trace(s): broken at the earliest span of each cycle (e.g. trace c1)",
    "1 span(s) in 1 trace(s) end before they start: duration set to 0 (e.g. trace c1)",
    "2 span(s) in 1 trace(s) extend outside their parent (clock skew or detached work): clamped to the parent for self time and critical path (e.g. trace c1)",
  ],
};

describe("report of a broken trace (ground truth)", () => {
  it("repairs the trace, says what it repaired, and equals the hand-computed report", () => {
    expect(buildReport(spans, { source: { kind: "file", location: "broken.json" } })).toEqual(expected);
  });

  it("leaves out spans without valid times, with a warning", () => {
    const bad = { ...span({ id: "B", start: 0, end: 1 }), startNs: Number.NaN };
    const worse = { ...span({ id: "C", start: 0, end: 1 }), endNs: Number.POSITIVE_INFINITY };
    const report = buildReport([bad, worse, span({ id: "ok", start: 0, end: 2 })], { source: { kind: "file", location: "x" } });
    expect(report).toMatchObject({ traces: 1, spans: 1, wallMs: 2, warnings: ["2 span(s) without a valid start or end time: left out"] });
  });

  it("an empty input gives an empty report", () => {
    const report = buildReport([], { source: { kind: "file", location: "empty.jsonl" } });
    expect(report).toEqual({
      schemaVersion: 1,
      source: { kind: "file", location: "empty.jsonl" },
      window: { start: null, end: null },
      traces: 0,
      spans: 0,
      wallMs: 0,
      timeDistribution: [],
      llm: { calls: 0, ms: 0, share: 0, criticalShare: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0, byModel: [] },
      operations: [],
      steps: [],
      runs: { count: 0, succeeded: 0, successRate: 0 },
      bottlenecks: [],
      recommendations: [],
      slowestTraces: [],
      warnings: [],
    });
  });
});

describe("a single trace of 100,000 spans", () => {
  it("is reported whole: 99,999 back-to-back LLM calls under one root", () => {
    const spans = [span({ trace: "big", id: "root", start: 0, end: 100_000 })];
    for (let i = 1; i < 100_000; i++) spans.push(llm({ trace: "big", id: `c${i}`, parent: "root", start: i, end: i + 1, input: 1, output: 1, cost: 0 }));
    const report = buildReport(spans, { source: { kind: "file", location: "big.jsonl" }, prices: null });
    expect(report).toMatchObject({ traces: 1, spans: 100_000, wallMs: 100_000, warnings: [] });
    expect(report.llm).toMatchObject({ calls: 99_999, ms: 99_999, share: 1, criticalShare: 1 });
    // all on the critical path one after another: union 99,999 ms - the longest 1 ms
    expect(report.recommendations).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'LLM calls under "root"',
        estimatedSavingMs: 99_998,
        estimatedSavingUsd: 0,
        evidence:
          "99999 LLM calls in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace big",
      }),
    ]);
  });
});
