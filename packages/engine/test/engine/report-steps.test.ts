// Ground truth for steps across runs: means and percentiles by position, input tokens of the
// LLM calls under each step, a failed run with a retry recorded only as step events.

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import { llm, step, workflow } from "@jotty/test-kit/spans";

// Four runs (wall 200 ms each): step a takes 10/20/30/40 ms, step b 100/100/100/140 ms with one
// LLM call of 100/200/300/400 input tokens. In d4, b's first attempt fails (its LLM call at
// 55..105, $0.01), a retry event at 100 ms with 10 ms backoff follows, and the step still fails.
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
      ...(failed
        ? { attempts: 2, outcome: "error", error: true, events: [{ name: "jotty.step.retry", at: 100, attrs: { "jotty.step.backoff_ms": 10 } }] }
        : {}),
    }),
    llm({ trace: t, id: "L", parent: "b", start: failed ? 55 : bStart + 10, end: failed ? 105 : bStart + 90, input: i * 100, output: 10, cost: 0.01 }),
  ];
});

describe("steps across runs (ground truth)", () => {
  const report = buildReport(spans, { source: { kind: "in-process", location: "test" } });

  it("rolls steps up by position", () => {
    expect(report.steps).toEqual([
      // 100 ms of 800 ms wall
      { workflow: "agent", name: "a", position: 1, count: 4, meanMs: 25, p95Ms: 40, share: 0.125, meanInputTokens: 0, timeouts: 0, retries: 0, failures: 0 },
      // 440 ms of 800; (100 + 200 + 300 + 400) / 4 tokens
      { workflow: "agent", name: "b", position: 2, count: 4, meanMs: 110, p95Ms: 140, share: 0.55, meanInputTokens: 250, timeouts: 0, retries: 1, failures: 1 },
    ]);
    expect(report.runs).toEqual({ count: 4, succeeded: 3, successRate: 0.75 });
    expect(report.timeDistribution).toEqual([
      { component: "LLM calls", ms: 290, share: 0.3625 }, // 80 × 3 + 50
      { component: "other (not LLM or tools)", ms: 510, share: 0.6375 },
    ]);
  });

  it("prices the retried attempt's time and LLM cost as a retries finding, not a timeout", () => {
    // retry event at 100 + 10 ms backoff - step start 50 = 60 ms; the LLM call ended at 105 ≤ 110
    expect(report.recommendations.filter((r) => r.kind === "timeouts")).toEqual([]);
    expect(report.recommendations.filter((r) => r.kind === "retries")).toEqual([
      expect.objectContaining({
        id: 'retries:step 2: b ("agent")',
        kind: "retries",
        target: 'step 2: b ("agent")',
        estimatedSavingMs: 60,
        estimatedSavingUsd: 0.01,
        cause: "the step failed with error ×1 and was run again",
      }),
    ]);
  });

  it("flags the slowest step and its grown context among the bottlenecks", () => {
    expect(report.bottlenecks.find((b) => b.name === 'step 2: b ("agent")')).toEqual({
      name: 'step 2: b ("agent")',
      impact: "critical",
      share: 0.55,
      why: "4 run(s), mean 110 ms, p95 140 ms; the slowest step of agent; 1 retry and 1 failure",
    });
  });
});
