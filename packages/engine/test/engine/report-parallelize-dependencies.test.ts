// parallelize is advised only for siblings that could run side by side: not for steps of one
// invoke_workflow (the step runner hands each step the earlier results), nor for a call whose
// input holds the previous call's input and at least half its output (context carried forward).

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import type { Span } from "../../src/model.js";
import { llm, span, step, tool, workflow } from "@jotty/test-kit/spans";

const options = { source: { kind: "file" as const, location: "x.jsonl" }, prices: null };
const recommendations = (spans: Span[]) => buildReport(spans, options).recommendations;

describe("parallelize: dependent work is left alone", () => {
  it("keeps an LLM call whose input holds the previous call's input and half its output after it", () => {
    // L2's input 1200 = L1's 1000 + 400 / 2: the answer was carried forward
    const spans = (l2Input: number) => [
      span({ trace: "d1", id: "P", name: "agent.loop", start: 0, end: 300 }),
      llm({ trace: "d1", id: "L1", parent: "P", start: 0, end: 100, input: 1000, output: 400 }),
      llm({ trace: "d1", id: "L2", parent: "P", start: 100, end: 250, input: l2Input, output: 50 }),
    ];
    expect(recommendations(spans(1200))).toEqual([]);
    // one token short of it, the calls look independent: union 250 - longest 150
    expect(recommendations(spans(1199))).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'LLM calls under "agent.loop"',
        estimatedSavingMs: 100,
        estimatedSavingUsd: 0,
        evidence: "2 LLM calls in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace d1",
      }),
    ]);
  });

  it("never advises running the steps of one invoke_workflow concurrently, whatever their tokens", () => {
    // Same input in both steps: independent by tokens, but runSteps passes ctx.results forward.
    const inWorkflow = [
      workflow({ trace: "d2", id: "W", start: 0, end: 300 }),
      step({ trace: "d2", id: "s1", parent: "W", start: 0, end: 100, step: "a", index: 0 }),
      llm({ trace: "d2", id: "L1", parent: "s1", start: 10, end: 90, input: 500, output: 50 }),
      step({ trace: "d2", id: "s2", parent: "W", start: 100, end: 300, step: "b", index: 1 }),
      llm({ trace: "d2", id: "L2", parent: "s2", start: 110, end: 290, input: 500, output: 50 }),
    ];
    expect(recommendations(inWorkflow)).toEqual([]);

    // The same steps under a plain span are independent: union 300 - longest 200
    const underBatch = inWorkflow.map((s) => (s.spanId === "W" ? span({ trace: "d2", id: "W", name: "batch", start: 0, end: 300 }) : s));
    expect(recommendations(underBatch)).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'steps under "batch"',
        estimatedSavingMs: 100,
        estimatedSavingUsd: 0,
        evidence: "2 steps in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace d2",
      }),
    ]);
  });

  it("keeps steps outside a workflow in order when the later one's calls carry the earlier one's output", () => {
    // b's largest input 700 ≥ a's 500 + 300 / 2 (growth 1.4×, below compress-context's 1.5×)
    const spans = [
      span({ trace: "d3", id: "P", name: "batch", start: 0, end: 300 }),
      step({ trace: "d3", id: "s1", parent: "P", start: 0, end: 100, step: "a", index: 0 }),
      llm({ trace: "d3", id: "L1", parent: "s1", start: 10, end: 90, input: 500, output: 300 }),
      step({ trace: "d3", id: "s2", parent: "P", start: 100, end: 300, step: "b", index: 1 }),
      llm({ trace: "d3", id: "L2", parent: "s2", start: 110, end: 290, input: 700, output: 50 }),
    ];
    expect(recommendations(spans)).toEqual([]);
  });

  it("runs only the independent chains side by side: the saving is the union minus the longest chain", () => {
    //  A 0..100 (in 1000, out 400) → B 100..200 (in 1300 ≥ 1000 + 200: after A) | C 200..260 (in 500: independent)
    //  chains [A, B] 200 ms and [C] 60 ms: 260 - 200
    const spans = [
      span({ trace: "d4", id: "P", name: "agent.loop", start: 0, end: 300 }),
      llm({ trace: "d4", id: "A", parent: "P", start: 0, end: 100, input: 1000, output: 400 }),
      llm({ trace: "d4", id: "B", parent: "P", start: 100, end: 200, input: 1300, output: 100 }),
      llm({ trace: "d4", id: "C", parent: "P", start: 200, end: 260, input: 500, output: 10 }),
    ];
    expect(recommendations(spans)).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'LLM calls under "agent.loop"',
        estimatedSavingMs: 60,
        estimatedSavingUsd: 0,
        evidence:
          "3 LLM calls in 1 parent span(s) ran one after another; 1 took the previous one's output as input (kept after it); if independent, running them concurrently shortens the critical path; e.g. trace d4",
      }),
    ]);
  });
});

describe("parallelize: independent siblings are still advised", () => {
  it("two LLM calls with the same input size, one after another", () => {
    // union 100 + 150 - longest 150
    const spans = [
      span({ trace: "i1", id: "P", name: "agent.loop", start: 0, end: 300 }),
      llm({ trace: "i1", id: "L1", parent: "P", start: 0, end: 100, input: 800, output: 200 }),
      llm({ trace: "i1", id: "L2", parent: "P", start: 110, end: 260, input: 800, output: 200 }),
    ];
    expect(recommendations(spans)).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'LLM calls under "agent.loop"',
        estimatedSavingMs: 100,
        estimatedSavingUsd: 0,
        evidence: "2 LLM calls in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace i1",
      }),
    ]);
  });

  it("two tool calls, one after another", () => {
    // union 80 + 100 - longest 100
    const spans = [
      span({ trace: "i2", id: "P", name: "agent.loop", start: 0, end: 200 }),
      tool({ trace: "i2", id: "T1", parent: "P", start: 0, end: 80, tool: "search" }),
      tool({ trace: "i2", id: "T2", parent: "P", start: 90, end: 190, tool: "fetch" }),
    ];
    expect(recommendations(spans)).toEqual([
      expect.objectContaining({
        kind: "parallelize",
        target: 'tool calls under "agent.loop"',
        estimatedSavingMs: 80,
        estimatedSavingUsd: 0,
        evidence: "2 tool calls in 1 parent span(s) ran one after another; if independent, running them concurrently shortens the critical path; e.g. trace i2",
      }),
    ]);
  });

  it("tool calls already running side by side get no advice", () => {
    const spans = [
      span({ trace: "i3", id: "P", name: "agent.loop", start: 0, end: 200 }),
      tool({ trace: "i3", id: "T1", parent: "P", start: 0, end: 150, tool: "search" }),
      tool({ trace: "i3", id: "T2", parent: "P", start: 10, end: 190, tool: "fetch" }),
    ];
    expect(recommendations(spans)).toEqual([]);
  });
});
