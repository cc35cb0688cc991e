// Steps of different workflows kept apart, context growth judged per workflow, and the
// parallelize advice ignoring failed calls and ms-rounded overlaps.

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import { llm, span, step, workflow } from "@jotty/test-kit/spans";

const source = { kind: "file" as const, location: "x" };

describe("workflows", () => {
  // alpha: x (LLM 80 ms, 100 tokens) then y (LLM 180 ms, 300 tokens): the context grows.
  // beta:  x (500 tokens) then z (400 tokens): it does not.
  const spans = [
    workflow({ trace: "r1", id: "W", start: 0, end: 300, attrs: { "gen_ai.workflow.name": "alpha" } }),
    step({ trace: "r1", id: "s0", parent: "W", start: 0, end: 99, step: "x", index: 0 }),
    llm({ trace: "r1", id: "l0", parent: "s0", start: 10, end: 90, input: 100, output: 10, cost: 0.001 }),
    step({ trace: "r1", id: "s1", parent: "W", start: 100, end: 299, step: "y", index: 1 }),
    llm({ trace: "r1", id: "l1", parent: "s1", start: 110, end: 290, input: 300, output: 10, cost: 0.002 }),
    workflow({ trace: "r2", id: "W", start: 0, end: 300, attrs: { "gen_ai.workflow.name": "beta" } }),
    step({ trace: "r2", id: "s0", parent: "W", start: 0, end: 149, step: "x", index: 0 }),
    llm({ trace: "r2", id: "l0", parent: "s0", start: 10, end: 140, input: 500, output: 10, cost: 0.001 }),
    step({ trace: "r2", id: "s1", parent: "W", start: 150, end: 299, step: "z", index: 1 }),
    llm({ trace: "r2", id: "l1", parent: "s1", start: 160, end: 290, input: 400, output: 10, cost: 0.001 }),
  ];
  const report = buildReport(spans, { source, prices: null });

  it("keeps the steps of each workflow apart, in workflow and position order", () => {
    expect(report.steps.map((s) => [s.workflow, s.position, s.name, s.meanInputTokens])).toEqual([
      ["alpha", 1, "x", 100],
      ["alpha", 2, "y", 300],
      ["beta", 1, "x", 500],
      ["beta", 2, "z", 400],
    ]);
  });

  it("recommends compressing the context only where it grows", () => {
    expect(report.recommendations.filter((r) => r.kind === "compress-context")).toEqual([
      expect.objectContaining({
        kind: "compress-context",
        target: 'steps of "alpha": x, y',
        estimatedSavingMs: 100, // y's LLM call 180 ms against x's 80 ms pace
        estimatedSavingUsd: 0,
        evidence: "mean input tokens per LLM call grow from step to step (x 100 → y 300, 3.0×) over 2 call(s); summarise or trim the context carried forward",
      }),
    ]);
  });
});

describe("parallelize", () => {
  it("leaves out failed calls (retried 429s are not parallel work)", () => {
    const report = buildReport(
      [
        span({ id: "P", start: 0, end: 100 }),
        llm({ id: "a", parent: "P", start: 0, end: 20, error: true, cost: 0 }),
        llm({ id: "b", parent: "P", start: 25, end: 45, error: true, cost: 0 }),
        llm({ id: "c", parent: "P", start: 50, end: 100, cost: 0.01, output: 500 }),
      ],
      { source, prices: null },
    );
    expect(report.recommendations).toEqual([]);
  });

  it("counts steps overlapping by less than the clock tolerance as one after another", () => {
    // Steps outside a workflow (under a plain span), with no LLM calls to show a dependency.
    const spans = [
      span({ id: "P", name: "batch", start: 0, end: 100 }),
      step({ id: "s1", parent: "P", start: 0, end: 50.4, step: "a", index: 0 }),
      step({ id: "s2", parent: "P", start: 50, end: 100, step: "b", index: 1 }),
    ];
    // union 100 - longest 50.4
    expect(buildReport(spans, { source }).recommendations).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'steps under "batch"',
        estimatedSavingMs: 49.6,
        estimatedSavingUsd: 0,
        evidence: "2 steps in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace t1",
      }),
    ]);
    expect(buildReport(spans, { source, clockToleranceMs: 0 }).recommendations).toEqual([]);
  });
});

describe("mean input tokens of a step", () => {
  it("leaves out calls that reported no input tokens (a 429 before the real answer)", () => {
    const report = buildReport(
      [
        step({ id: "s", start: 0, end: 100, step: "plan", index: 0 }),
        llm({ id: "r429", parent: "s", start: 1, end: 5, error: true }),
        llm({ id: "ok", parent: "s", start: 10, end: 90, input: 150, output: 20, cost: 0.001 }),
      ],
      { source, prices: null },
    );
    expect(report.steps.map((s) => [s.name, s.meanInputTokens])).toEqual([["plan", 150]]);
  });
});

describe("bottleneck texts", () => {
  it("round milliseconds for reading (whole from 100 ms, else to a tenth); the figures keep microseconds", () => {
    const report = buildReport(
      [
        span({ id: "P", name: "batch", start: 0, end: 1330 }),
        step({ id: "s1", parent: "P", start: 0, end: 1234.5678, step: "a", index: 0 }),
        span({ id: "q", parent: "P", name: "query", start: 1240, end: 1312.345 }),
      ],
      { source, prices: null },
    );
    expect(report.steps[0]).toMatchObject({ meanMs: 1234.568, p95Ms: 1234.568 });
    expect(report.bottlenecks.map((b) => b.why)).toEqual([
      "1 run(s), mean 1235 ms, p95 1235 ms",
      // query: 72.345 of 1330 ms (batch's 23.1 ms are under 5 %)
      "5.4 % of the critical path (72.3 ms) over 1 span(s), self time 72.3 ms, p95 72.3 ms",
    ]);
  });
});
