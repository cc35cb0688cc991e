import { describe, expect, it } from "vitest";
import { buildTraces, type TraceNode } from "../../src/engine/index.js";
import { span, T0 } from "@jotty/test-kit/spans";

/** A readable tree: "name[selfMs/criticalMs](children...)". */
const shape = (node: TraceNode): string => {
  const kids = node.children.map(shape).join(" ");
  return `${node.span.spanId}[${node.selfNs / 1e6}/${node.criticalNs / 1e6}]${kids ? `(${kids})` : ""}`;
};

describe("buildTraces", () => {
  it("groups by trace in first-seen order and orders children by start time", () => {
    const traces = buildTraces([
      span({ trace: "t2", id: "x", start: 0, end: 10 }),
      span({ id: "b", parent: "r", start: 50, end: 90 }),
      span({ id: "a", parent: "r", start: 10, end: 40 }),
      span({ id: "r", start: 0, end: 100 }),
    ]);
    expect(traces.map((t) => t.traceId)).toEqual(["t2", "t1"]);
    const t1 = traces[1]!;
    expect(t1.roots.map(shape)).toEqual(["r[30/30](a[30/30] b[40/40])"]);
    expect(t1).toMatchObject({ spanCount: 3, startNs: T0, endNs: T0 + 100e6, warnings: [] });
  });

  it("makes spans with a missing parent roots, with a warning", () => {
    const [t] = buildTraces([
      span({ id: "r", start: 0, end: 100 }),
      span({ id: "o", parent: "gone", start: 120, end: 150 }),
      span({ id: "c", parent: "o", start: 130, end: 140 }),
    ]);
    expect(t!.roots.map(shape)).toEqual(["r[100/100]", "o[20/20](c[10/10])"]);
    expect(t!.warnings).toEqual(["1 span(s) in 1 trace(s) name a parent that is missing: treated as roots (trace t1)"]);
  });

  it("breaks parent cycles at the earliest span of the cycle", () => {
    const [t] = buildTraces([
      span({ id: "a", parent: "c", start: 10, end: 90 }),
      span({ id: "b", parent: "a", start: 20, end: 80 }),
      span({ id: "c", parent: "b", start: 30, end: 70 }),
      span({ id: "self", parent: "self", start: 0, end: 5 }),
    ]);
    expect(t!.roots.map(shape)).toEqual(["self[5/5]", "a[20/20](b[20/20](c[40/40]))"]);
    expect(t!.warnings).toEqual(["2 parent cycle(s) in 1 trace(s): broken at the earliest span of each cycle (trace t1)"]);
  });

  it("keeps the first of duplicate span ids and clamps negative durations", () => {
    const [t] = buildTraces([
      span({ id: "r", start: 0, end: 100 }),
      span({ id: "a", parent: "r", start: 10, end: 20 }),
      span({ id: "a", parent: "r", start: 30, end: 90 }),
      span({ id: "n", parent: "r", start: 50, end: 40 }),
    ]);
    expect(t!.roots.map(shape)).toEqual(["r[90/90](a[10/10] n[0/0])"]);
    expect(t!.spanCount).toBe(3);
    expect(t!.roots[0]!.children[1]!.span.endNs).toBe(t!.roots[0]!.children[1]!.span.startNs);
    expect(t!.warnings).toEqual([
      "1 duplicate span id(s) in 1 trace(s): kept the first span of each id (trace t1)",
      "1 span(s) in 1 trace(s) end before they start: duration set to 0 (trace t1)",
    ]);
  });

  it("keeps several genuine roots", () => {
    const [t] = buildTraces([span({ id: "r2", start: 50, end: 80 }), span({ id: "r1", start: 0, end: 60 })]);
    expect(t!.roots.map(shape)).toEqual(["r1[60/60]", "r2[30/30]"]);
    expect(t!.warnings).toEqual([]);
  });

  it("handles a single trace of 100,000 spans nested 100,000 deep", () => {
    const spans = Array.from({ length: 100_000 }, (_, i) =>
      span({ id: `s${i}`, ...(i > 0 ? { parent: `s${i - 1}` } : {}), start: i * 0.001, end: 1000 - i * 0.001 }),
    );
    const [t] = buildTraces(spans);
    expect(t!.spanCount).toBe(100_000);
    let node = t!.roots[0]!;
    let depth = 1;
    let critical = node.criticalNs;
    while (node.children.length > 0) {
      node = node.children[0]!;
      critical += node.criticalNs;
      depth++;
    }
    expect(depth).toBe(100_000);
    expect(critical).toBeCloseTo(1000e6, -1);
  });
});

describe("clock tolerance in warnings", () => {
  it("does not warn about children overflowing their parent by less than 1 ms (ms-rounded start times)", () => {
    const spans = [span({ id: "r", start: 0, end: 100 }), span({ id: "c", parent: "r", start: 50, end: 100.4 })];
    expect(buildTraces(spans)[0]!.warnings).toEqual([]);
    expect(buildTraces(spans, { clockToleranceMs: 0 })[0]!.warnings).toEqual([
      "1 span(s) in 1 trace(s) extend outside their parent (clock skew or detached work): clamped to the parent for self time and critical path (trace t1)",
    ]);
  });
});
