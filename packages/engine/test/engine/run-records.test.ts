// Per-run records of known truth: the same four runs as report-steps.test.ts, each run's time,
// tokens, cost, errors and retries per step and model; whole traces as runs without a workflow;
// and the bounded sample past maxRuns.

import { describe, expect, it } from "vitest";
import { buildReport, modelKey, RunRecorder, stepKey } from "../../src/engine/index.js";
import { llm, span, step, workflow } from "@jotty/test-kit/spans";

const spans = [1, 2, 3, 4].flatMap((i) => {
  const t = `d${i}`;
  const failed = i === 4;
  const bStart = 10 + i * 10;
  return [
    workflow({ trace: t, id: "W", start: 0, end: 200, error: failed }),
    step({ trace: t, id: "a", parent: "W", start: 0, end: i * 10, step: "a", index: 0 }),
    step({
      trace: t,
      id: "b",
      parent: "W",
      start: bStart,
      end: failed ? 190 : bStart + 100,
      step: "b",
      index: 1,
      ...(failed ? { attempts: 2, outcome: "error", error: true } : {}),
    }),
    llm({ trace: t, id: "L", parent: "b", start: bStart + 10, end: bStart + 90, input: i * 100, output: 10, cost: 0.01 }),
  ];
});

describe("RunRecorder", () => {
  it("keeps each run's time, tokens, cost, errors and retries per step and model", () => {
    const recorder = new RunRecorder();
    const report = buildReport(spans, { source: { kind: "in-process", location: "test" }, traceObserver: recorder });
    const runs = recorder.records();
    expect(runs.map((r) => [r.traceId, r.wallMs, r.succeeded, r.inputTokens, r.costUsd, r.errors, r.retries])).toEqual([
      ["d1", 200, true, 100, 0.01, 0, 0],
      ["d2", 200, true, 200, 0.01, 0, 0],
      ["d3", 200, true, 300, 0.01, 0, 0],
      ["d4", 200, false, 400, 0.01, 2, 1],
    ]);
    // The same success count as the report's runs.
    expect(runs.filter((r) => r.succeeded).length).toBe(report.runs.succeeded);
    const b4 = runs[3]!.steps.get(stepKey("agent", 2, "b"))!;
    expect(b4).toMatchObject({ ms: 140, count: 1, calls: 1, inputTokens: 400, outputTokens: 10, errors: 1, retries: 1 });
    expect(runs[0]!.steps.get(stepKey("agent", 1, "a"))).toMatchObject({ ms: 10, calls: 0, durationsMs: [10] });
    expect(runs[1]!.models.get(modelKey("openai", "gpt-4o"))).toMatchObject({ ms: 80, calls: 1, inputTokens: 200 });
  });

  it("takes a trace without a workflow as one run", () => {
    const recorder = new RunRecorder();
    buildReport([span({ trace: "x", id: "r", start: 0, end: 50, error: true }), llm({ trace: "x", id: "c", parent: "r", start: 5, end: 45, input: 7 })], {
      source: { kind: "in-process", location: "test" },
      traceObserver: recorder,
    });
    expect(recorder.records().map((r) => [r.workflow, r.wallMs, r.succeeded, r.calls, r.inputTokens])).toEqual([["", 50, false, 1, 7]]);
  });

  it("keeps a fixed-size uniform sample past maxRuns", () => {
    const recorder = new RunRecorder(2);
    buildReport(spans, { source: { kind: "in-process", location: "test" }, traceObserver: recorder });
    expect(recorder.runsSeen).toBe(4);
    expect(recorder.records()).toHaveLength(2);
  });

  it("keeps the same sample, in the same order, whatever order the traces arrive in", () => {
    // A file and Jaeger's pages give the same traces in different orders; the figures built on
    // the sample (slow vs fast, comparisons) must not depend on it.
    const traces = Array.from({ length: 60 }, (_, i) => span({ trace: `trace-${i.toString().padStart(2, "0")}`, id: "r", start: i % 7, end: 20 + (i % 11) }));
    const sampled = (order: typeof traces) => {
      const recorder = new RunRecorder(10);
      buildReport(order, { source: { kind: "in-process", location: "test" }, traceObserver: recorder });
      return recorder.records().map((r) => r.traceId);
    };
    const forward = sampled(traces);
    expect(forward).toHaveLength(10);
    expect(sampled([...traces].reverse())).toEqual(forward);
    expect(sampled([...traces.slice(30), ...traces.slice(0, 30)])).toEqual(forward);
  });
});
