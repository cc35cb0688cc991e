// Figures no provider or clock can produce (issue 24): refused, never summed, and counted in one
// warning line per kind with an example span.

import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import { llm, span } from "@jotty/test-kit/spans";

const source = { kind: "file" as const, location: "hostile.jsonl" };
// The doubles JSON.parse makes of 9223372036854775807 and 18446744073709551615.
const INT64_MAX = 2 ** 63;
const UINT64_MAX = 2 ** 64;

describe("token counts and costs outside what a provider returns", () => {
  const spans = [
    span({ trace: "t1", id: "root", start: 0, end: 1000 }),
    llm({ trace: "t1", id: "good", parent: "root", start: 0, end: 100, input: 1000, output: 100, cost: 0.01 }),
    llm({ trace: "t1", id: "negative", parent: "root", start: 100, end: 200, input: -999_900, output: 50, cost: -0.075 }),
    llm({ trace: "t1", id: "huge", parent: "root", start: 200, end: 300, input: 1e300, output: INT64_MAX, cost: 1e300 }),
    llm({ trace: "t1", id: "fractional", parent: "root", start: 300, end: 400, input: 12.5, output: 10, cost: 0.002 }),
    llm({ trace: "t1", id: "over-a-billion", parent: "root", start: 400, end: 500, input: 1e9 + 1, output: 10, cost: 0.001 }),
    llm({ trace: "t1", id: "infinite", parent: "root", start: 500, end: 600, input: 10, output: 10 }),
  ];
  spans[6]!.attributes["gen_ai.usage.cost"] = "Infinity";

  const report = buildReport(spans, { source, prices: null });

  it("sums only the plausible figures", () => {
    // Tokens: good 1000/100, negative -/50, huge -/-, fractional -/10, over-a-billion -/10, infinite 10/10.
    expect(report.llm).toMatchObject({ calls: 6, inputTokens: 1010, outputTokens: 180 });
    // Costs: 0.01 + 0.002 + 0.001 recorded; the refused ones priced from tokens, with no prices: 0.
    expect(report.llm.costUsd).toBe(0.013);
    expect(Number.isFinite(report.llm.costUsd)).toBe(true);
  });

  it("says how many it refused and where, one line per kind", () => {
    expect(report.warnings).toContain(
      "5 token count(s) no provider returns (negative, fractional or over 10^9 in one call): refused, read as not recorded (e.g. span negative of trace t1: input tokens -999900, cost $-0.075)",
    );
    expect(report.warnings).toContain(
      "3 cost(s) no provider bills (negative, not finite or over $1,000,000 for one call): refused, the call priced from its tokens instead (e.g. span negative of trace t1: input tokens -999900, cost $-0.075)",
    );
  });

  it("a refused cost is priced from the call's tokens like a call without one", () => {
    const prices = () => ({ input: 1e-6, output: 2e-6 });
    const priced = buildReport(spans, { source, prices });
    // good 0.01 + fractional 0.002 + over-a-billion 0.001 recorded; negative: 50 output = 0.0001,
    // huge: no plausible tokens = 0, infinite: 10 in + 10 out = 0.00003.
    expect(priced.llm.costUsd).toBe(0.01313);
  });
});

describe("span times no clock produces", () => {
  const spans = [
    span({ trace: "t1", id: "root", start: 0, end: 1000 }),
    span({ trace: "t1", id: "child", parent: "root", start: 10, end: 20 }),
    { ...span({ trace: "t1", id: "int64-end", parent: "root", start: 30, end: 40 }), endNs: INT64_MAX },
    { ...span({ trace: "t1", id: "uint64-end", parent: "root", start: 30, end: 40 }), endNs: UINT64_MAX },
    { ...span({ trace: "t2", id: "year-2262", start: 0, end: 1 }), startNs: INT64_MAX - 1e9, endNs: INT64_MAX },
    span({ trace: "t3", id: "eight-days", start: 0, end: 8 * 86_400_000 }),
  ];

  it("are left out with one warning line, so the wall stays the real one", () => {
    const report = buildReport(spans, { source, prices: null });
    expect(report).toMatchObject({ traces: 1, spans: 2, wallMs: 1000 });
    expect(report.warnings).toEqual([
      "4 span(s) with times no clock produces (after 2200-01-01T00:00:00.000Z or lasting over 7 d): left out (e.g. span int64-end of trace t1: ends 2262-04-11T23:47:16.854Z, lasts 106740.4 d)",
    ]);
  });

  it("the plausible span is configurable", () => {
    const report = buildReport(spans, { source, prices: null, plausible: { maxSpanMs: 10 * 86_400_000 } });
    expect(report).toMatchObject({ traces: 2, spans: 3 });
    expect(report.warnings[0]).toMatch(/^3 span\(s\) with times no clock produces \(after 2200-01-01T00:00:00.000Z or lasting over 10 d\): left out/);
  });
});
