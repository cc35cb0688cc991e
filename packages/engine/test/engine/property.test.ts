// Property tests: random (often malformed) span forests never throw, and the report's
// invariants hold — shares in [0, 1], LLM union within wall time, critical paths tiling roots.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildReport, buildTraces, type TraceNode } from "../../src/engine/index.js";
import type { Attributes, Span } from "../../src/model.js";

const T0 = 1.7e18; // realistic epoch ns: doubles with 256 ns resolution

const roleAttrs: fc.Arbitrary<Attributes> = fc.oneof(
  fc.constant<Attributes>({}),
  fc.record({
    "gen_ai.operation.name": fc.constantFrom("chat", "embeddings", "text_completion"),
    "gen_ai.provider.name": fc.constantFrom("openai", "anthropic"),
    "gen_ai.request.model": fc.constantFrom("m1", "m2"),
    "gen_ai.usage.input_tokens": fc.nat(5000),
    "gen_ai.usage.output_tokens": fc.nat(500),
    "gen_ai.usage.cost": fc.double({ min: 0, max: 1, noNaN: true }),
    "jotty.llm.prompt_hash": fc.constantFrom("h1", "h2", "h3"),
  }),
  fc.record({
    "jotty.step.name": fc.constantFrom("a", "b"),
    "jotty.step.index": fc.nat(3),
    "jotty.step.attempts": fc.integer({ min: 1, max: 3 }),
    "jotty.step.outcome": fc.constantFrom("ok", "timeout", "error"),
  }),
  fc.record({ "jotty.step.attempt": fc.integer({ min: 1, max: 3 }), "jotty.step.outcome": fc.constantFrom("ok", "timeout", "error") }),
  fc.constant<Attributes>({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" }),
  fc.constant<Attributes>({ "gen_ai.operation.name": "invoke_workflow" }),
);

const spanArb = fc.record({
  trace: fc.constantFrom<string>("t1", "t2", "t3"),
  id: fc.integer({ min: 0, max: 11 }),
  parent: fc.option(fc.integer({ min: 0, max: 13 }), { nil: undefined }), // 12, 13: never exist
  start: fc.integer({ min: 0, max: 1_000_000_000 }),
  duration: fc.integer({ min: -1_000_000, max: 500_000_000 }),
  attrs: roleAttrs,
  error: fc.boolean(),
  service: fc.constantFrom("s1", "s2"),
});

type GeneratedSpan = typeof spanArb extends fc.Arbitrary<infer T> ? T : never;

const toSpan = (s: GeneratedSpan): Span => ({
  traceId: s.trace,
  spanId: `s${s.id}`,
  ...(s.parent !== undefined ? { parentSpanId: `s${s.parent}` } : {}),
  name: `op${s.id % 4}`,
  kind: "INTERNAL",
  startNs: T0 + s.start,
  endNs: T0 + s.start + s.duration,
  status: { code: s.error ? "ERROR" : "UNSET" },
  attributes: s.attrs,
  resource: { "service.name": s.service },
});

const inUnit = (x: number) => x >= 0 && x <= 1;

describe("engine properties", () => {
  it("random span forests never throw and keep every share in [0, 1] and the LLM union within wall time", () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 40 }), (specs) => {
        const report = buildReport(specs.map(toSpan), {
          source: { kind: "file", location: "x" },
          top: 1000,
          prices: (_p, m) => (m === "m1" ? { input: 1e-6, output: 1e-5 } : { input: 1e-7, output: 1e-6 }),
          cheaperModels: () => ["m1", "m2"],
        });
        const shares = [
          report.llm.share,
          report.llm.criticalShare,
          report.runs.successRate,
          ...report.timeDistribution.map((d) => d.share),
          ...report.operations.flatMap((o) => [o.selfShare, o.criticalShare]),
          ...report.steps.map((s) => s.share),
          ...report.bottlenecks.map((b) => b.share),
        ];
        expect(shares.every(inUnit)).toBe(true);
        expect(report.llm.ms).toBeLessThanOrEqual(report.wallMs + 0.001);
        for (const r of report.recommendations) {
          expect(r.estimatedSavingMs).toBeGreaterThanOrEqual(0);
          expect(r.estimatedSavingUsd).toBeGreaterThanOrEqual(0);
        }
        if (report.wallMs > 0) {
          // The time distribution is a partition of wall time.
          expect(report.timeDistribution.reduce((a, d) => a + d.share, 0)).toBeCloseTo(1, 9);
          expect(report.timeDistribution.reduce((a, d) => a + d.ms, 0)).toBeCloseTo(report.wallMs, 2); // each figure rounded to the µs
        }
        const selfShares = report.operations.reduce((a, o) => a + o.selfShare, 0);
        if (report.operations.some((o) => o.selfMs > 0)) expect(Math.abs(selfShares - 1)).toBeLessThan(0.01);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report); // plain JSON, no NaN or Infinity
      }),
      { numRuns: 300 },
    );
  });

  it("every kept span appears once in the forest, and each root's critical path tiles it", () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 40 }), (specs) => {
        const spans = specs.map(toSpan);
        for (const trace of buildTraces(spans)) {
          const seen = new Set<string>();
          const walk = (n: TraceNode): number => {
            expect(seen.has(n.span.spanId)).toBe(false);
            seen.add(n.span.spanId);
            expect(n.selfNs).toBeGreaterThanOrEqual(0);
            expect(n.selfNs).toBeLessThanOrEqual(n.span.endNs - n.span.startNs);
            return n.criticalNs + n.children.reduce((a, c) => a + walk(c), 0);
          };
          for (const root of trace.roots) expect(walk(root)).toBeCloseTo(root.span.endNs - root.span.startNs, -3);
          expect(seen.size).toBe(new Set(spans.filter((s) => s.traceId === trace.traceId).map((s) => s.spanId)).size);
          expect(trace.spanCount).toBe(seen.size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the order spans of one trace arrive in does not change the report", () => {
    const unique = fc.uniqueArray(
      spanArb.map((s) => ({ ...s, trace: "t1" })),
      { selector: (s) => s.id, maxLength: 12 },
    );
    fc.assert(
      fc.property(unique, fc.infiniteStream(fc.nat()), (specs, randoms) => {
        const spans = specs.map(toSpan);
        const shuffled = spans
          .map((s) => ({ s, k: randoms.next().value }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.s);
        const options = { source: { kind: "file" as const, location: "x" } };
        expect(buildReport(shuffled, options)).toEqual(buildReport(spans, options));
      }),
      { numRuns: 200 },
    );
  });
});
