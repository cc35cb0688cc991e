// Critical path and self time against jaeger-ui's semantics (components/TracePage/CriticalPath
// and its test cases): per-span critical time in ms, with no clock tolerance unless a test
// says otherwise.

import { describe, expect, it } from "vitest";
import { buildTraces, type TraceNode } from "../../src/engine/index.js";
import type { Span } from "../../src/model.js";
import { span } from "@jotty/test-kit/spans";

function times(spans: Span[], clockToleranceMs = 0): Record<string, { self: number; critical: number }> {
  const out: Record<string, { self: number; critical: number }> = {};
  const walk = (n: TraceNode) => {
    out[n.span.spanId] = { self: n.selfNs / 1e6, critical: n.criticalNs / 1e6 };
    n.children.forEach(walk);
  };
  buildTraces(spans, { clockToleranceMs })[0]!.roots.forEach(walk);
  return out;
}

describe("critical path (jaeger-ui semantics) and self time", () => {
  it("jaeger-ui test2: the last-finishing child, then the walk back from its start", () => {
    // X 1..101 with A 10..50 and C 20..60: X[60,101] + C[20,60] + X[1,20]; A overlaps C and is off the path.
    expect(
      times([span({ id: "X", start: 1, end: 101 }), span({ id: "A", parent: "X", start: 10, end: 50 }), span({ id: "C", parent: "X", start: 20, end: 60 })]),
    ).toEqual({ X: { self: 50, critical: 60 }, A: { self: 40, critical: 0 }, C: { self: 40, critical: 40 } });
  });

  it("sequential children are all on the path; parallel ones only the last-finishing", () => {
    expect(
      times([
        span({ id: "r", start: 0, end: 100 }),
        span({ id: "s1", parent: "r", start: 0, end: 29 }),
        span({ id: "s2", parent: "r", start: 30, end: 59 }),
        span({ id: "p1", parent: "r", start: 60, end: 90 }),
        span({ id: "p2", parent: "r", start: 60, end: 95 }),
        span({ id: "p3", parent: "r", start: 65, end: 80 }),
      ]),
    ).toEqual({
      r: { self: 7, critical: 7 },
      s1: { self: 29, critical: 29 },
      s2: { self: 29, critical: 29 },
      p1: { self: 30, critical: 0 },
      p2: { self: 35, critical: 35 },
      p3: { self: 15, critical: 0 },
    });
  });

  it("a child ending exactly when the next one starts is not picked on the walk back (jaeger-ui compares strictly)", () => {
    expect(
      times([span({ id: "r", start: 0, end: 60 }), span({ id: "s1", parent: "r", start: 0, end: 30 }), span({ id: "s2", parent: "r", start: 30, end: 60 })]),
    ).toEqual({ r: { self: 0, critical: 30 }, s1: { self: 30, critical: 0 }, s2: { self: 30, critical: 30 } });
  });

  it("equal end times: the earlier-starting child wins, as jaeger-ui's strict comparison keeps the first", () => {
    expect(
      times([span({ id: "r", start: 0, end: 100 }), span({ id: "a", parent: "r", start: 10, end: 50 }), span({ id: "b", parent: "r", start: 20, end: 50 })]),
    ).toEqual({ r: { self: 60, critical: 60 }, a: { self: 40, critical: 40 }, b: { self: 30, critical: 0 } });
  });

  it("with the default 1 ms clock tolerance, back-to-back siblings are all on the path", () => {
    const spans = [
      span({ id: "r", start: 0, end: 60 }),
      span({ id: "s1", parent: "r", start: 0, end: 30 }),
      span({ id: "s2", parent: "r", start: 30, end: 60 }),
    ];
    expect(times(spans, 1)).toEqual({ r: { self: 0, critical: 0 }, s1: { self: 30, critical: 30 }, s2: { self: 30, critical: 30 } });
  });

  it("OpenTelemetry JS overlap (ms-rounded starts): the earlier step keeps its time, cut where the next one starts", () => {
    // s1 ends 0.4 ms after s2 starts, as when span starts come from Date.now()
    const spans = [
      span({ id: "r", start: 0, end: 100 }),
      span({ id: "s1", parent: "r", start: 0, end: 50.4 }),
      span({ id: "s2", parent: "r", start: 50, end: 100 }),
    ];
    expect(times(spans, 1)).toEqual({ r: { self: 0, critical: 0 }, s1: { self: 50.4, critical: 50 }, s2: { self: 50, critical: 50 } });
    // jaeger-ui exactly: s1 is passed over and its time lands on r
    expect(times(spans, 0)).toEqual({ r: { self: 0, critical: 50 }, s1: { self: 50.4, critical: 0 }, s2: { self: 50, critical: 50 } });
  });

  it("the tolerance never gives a parallel sibling time already on the path", () => {
    expect(
      times([span({ id: "r", start: 0, end: 10 }), span({ id: "a", parent: "r", start: 0, end: 10 }), span({ id: "b", parent: "r", start: 0, end: 0.5 })], 1),
    ).toEqual({ r: { self: 0, critical: 0 }, a: { self: 10, critical: 10 }, b: { self: 0.5, critical: 0 } });
  });

  it("children overflowing the parent are truncated; wholly outside ones are dropped with their subtree", () => {
    expect(
      times([
        span({ id: "P", start: 100, end: 200 }),
        // starts inside, ends after the parent: truncated to [150, 200]
        span({ id: "late", parent: "P", start: 150, end: 260 }),
        // starts before, ends inside: truncated to [100, 120]
        span({ id: "early", parent: "P", start: 80, end: 120 }),
        // wholly after the parent (jaeger-ui test3): dropped, and its child with it
        span({ id: "after", parent: "P", start: 210, end: 240 }),
        span({ id: "afterChild", parent: "after", start: 215, end: 220 }),
        // wholly before
        span({ id: "before", parent: "P", start: 50, end: 100 }),
      ]),
    ).toEqual({
      P: { self: 30, critical: 30 },
      early: { self: 40, critical: 20 },
      late: { self: 110, critical: 50 },
      after: { self: 25, critical: 0 },
      afterChild: { self: 5, critical: 0 },
      before: { self: 50, critical: 0 },
    });
  });

  it("a child wider than its parent is clamped to it at both ends", () => {
    expect(
      times([
        span({ id: "P", start: 10, end: 20 }),
        span({ id: "wide", parent: "P", start: 0, end: 40 }),
        span({ id: "inner", parent: "wide", start: 12, end: 14 }),
      ]),
    ).toEqual({ P: { self: 0, critical: 0 }, wide: { self: 38, critical: 8 }, inner: { self: 2, critical: 2 } });
  });

  it("each root of a multi-root trace has its own critical path", () => {
    expect(
      times([
        span({ id: "r1", start: 0, end: 50 }),
        span({ id: "c1", parent: "r1", start: 10, end: 40 }),
        span({ id: "r2", start: 30, end: 80 }),
        span({ id: "c2", parent: "r2", start: 30, end: 80 }),
      ]),
    ).toEqual({
      r1: { self: 20, critical: 20 },
      c1: { self: 30, critical: 30 },
      r2: { self: 0, critical: 0 },
      c2: { self: 50, critical: 50 },
    });
  });

  it("walks back through nested levels", () => {
    // r 0..100: a 0..39 (a1 0..10, a2 5..35), b 40..90 (b1 50..60, b2 70..80)
    expect(
      times([
        span({ id: "r", start: 0, end: 100 }),
        span({ id: "a", parent: "r", start: 0, end: 39 }),
        span({ id: "a1", parent: "a", start: 0, end: 10 }),
        span({ id: "a2", parent: "a", start: 5, end: 35 }),
        span({ id: "b", parent: "r", start: 40, end: 90 }),
        span({ id: "b1", parent: "b", start: 50, end: 60 }),
        span({ id: "b2", parent: "b", start: 70, end: 80 }),
      ]),
    ).toEqual({
      r: { self: 11, critical: 11 },
      a: { self: 4, critical: 9 },
      a1: { self: 10, critical: 0 },
      a2: { self: 30, critical: 30 },
      b: { self: 30, critical: 30 },
      b1: { self: 10, critical: 10 },
      b2: { self: 10, critical: 10 },
    });
  });
});
