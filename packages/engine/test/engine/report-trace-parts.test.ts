// A trace larger than the pending window stays one trace (issue 24): analysed in parts, its wall
// time, span count and slowest-traces row counted once; and the builder's memory of analysed
// trace ids is bounded by a window, not by the number of traces seen.

import { describe, expect, it } from "vitest";
import { createReportBuilder } from "../../src/engine/index.js";
import { AnalysedTraces } from "../../src/engine/trace-ids.js";
import { span } from "@jotty/test-kit/spans";

const source = { kind: "file" as const, location: "giant.jsonl" };

/** A root of 1,000 ms whose 1,000 children come first (as a batch exporter writes them: children end first). */
function giantTrace(trace = "g1") {
  const children = Array.from({ length: 1000 }, (_, i) => span({ trace, id: `c${i}`, parent: "root", name: "work", start: i, end: i + 1 }));
  return [...children, span({ trace, id: "root", name: "agent run", start: 0, end: 1000 })];
}

describe("one trace over the pending window", () => {
  it("is one trace with its true wall, listed once among the slowest, one run", () => {
    const b = createReportBuilder({ source, prices: null, maxPendingSpans: 300 });
    for (const s of giantTrace()) b.add(s);
    b.add(span({ trace: "small", id: "s", name: "small run", start: 0, end: 10 }));
    const report = b.finish();
    expect(report).toMatchObject({ traces: 2, spans: 1002, wallMs: 1010 });
    expect(report.slowestTraces.map((t) => [t.traceId, t.rootName, t.durationMs])).toEqual([
      ["g1", "agent run", 1000],
      ["small", "small run", 10],
    ]);
    expect(report.runs.count).toBe(2);
    expect(report.timeDistribution).toEqual([{ component: "other (not LLM or tools)", ms: 1010, share: 1 }]);
    expect(report.warnings).toEqual([
      "1 trace(s) analysed in parts, 700 span(s) after their trace's first part (more than 300 spans of unfinished traces held, or spans after flushTrace): wall time, span count and the slowest-traces row are the whole trace's, counted once; self time, critical path and steps are per part, a span whose parent fell in another part counting as a root (e.g. trace g1: 1001 spans in 4 parts)",
    ]);
  });

  it("gives the same wall and slowest traces as a window that holds it whole", () => {
    const whole = createReportBuilder({ source, prices: null });
    const parts = createReportBuilder({ source, prices: null, maxPendingSpans: 64 });
    for (const s of [...giantTrace("g1"), ...giantTrace("g2")]) {
      whole.add(s);
      parts.add(s);
    }
    const [a, b] = [whole.finish(), parts.finish()];
    expect({ traces: b.traces, spans: b.spans, wallMs: b.wallMs, slowest: b.slowestTraces }).toEqual({
      traces: a.traces,
      spans: a.spans,
      wallMs: a.wallMs,
      slowest: a.slowestTraces,
    });
  });
});

describe("missing parents of a trace analysed early", () => {
  it("are still reported when no later part of the trace comes", () => {
    const b = createReportBuilder({ source, prices: null, maxPendingSpans: 2 });
    b.add(span({ trace: "a", id: "o", parent: "gone", start: 0, end: 5 }));
    b.add(span({ trace: "b", id: "x", start: 0, end: 5 }));
    b.add(span({ trace: "c", id: "y", start: 0, end: 5 })); // 3 > 2 held: "a", idle longest, is analysed early
    expect(b.finish().warnings).toEqual(["1 span(s) in 1 trace(s) name a parent that is missing: treated as roots (e.g. trace a)"]);
  });
});

describe("trace ids remembered in bounded memory", () => {
  it("counts every trace exactly while keeping only the recent ids", () => {
    const ids = new AnalysedTraces(100);
    for (let i = 0; i < 10_000; i++) ids.add(`trace-${i}`, { startNs: i, endNs: i + 1, spans: 1 });
    expect(ids.count).toBe(10_000);
    expect(ids.size).toBe(100);
    expect(ids.earlier("trace-9999")).toMatchObject({ startNs: 9999, endNs: 10_000, parts: 1, spans: 1 });
    expect(ids.earlier("trace-0")).toBeUndefined();
    // Every id that left the window is still known as probably seen (a Bloom filter never misses).
    expect(Array.from({ length: 9900 }, (_, i) => ids.probablyOld(`trace-${i}`)).every(Boolean)).toBe(true);
    const fresh = Array.from({ length: 10_000 }, (_, i) => ids.probablyOld(`new-${i}`)).filter(Boolean).length;
    expect(fresh).toBe(0);
  });

  it("a span of a trace analysed long before is counted apart, with a warning", () => {
    const b = createReportBuilder({ source, prices: null, maxPendingSpans: 1 });
    for (let i = 0; i < 70_000; i++) b.add(span({ trace: `t${i}`, id: "a", start: i, end: i + 1 }));
    b.add(span({ trace: "t0", id: "late", start: 0, end: 2 }));
    const report = b.finish();
    expect(report.traces).toBe(70_001);
    expect(report.warnings).toEqual([
      "1 trace id(s) came back after more than 65536 other traces were analysed, probably late spans of a trace analysed long before (a filter that is rarely wrong tells): counted as trace(s) of their own (e.g. trace t0)",
    ]);
  });
});
