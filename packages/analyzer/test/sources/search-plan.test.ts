// The order of searches: the whole range first, then disjoint windows walking back in time at the
// width a full page covered, wider after light pages, a full window's remainder searched again.
import { describe, expect, it } from "vitest";
import type { Window } from "../../src/sources/jaeger-windows.js";
import { SearchPlan } from "../../src/sources/search-plan.js";

const us = (n: number) => BigInt(n) * 1000n;
const starts = (...micros: number[]) => ({ latestStarts: micros.map(us) });

describe("SearchPlan", () => {
  it("walks back from a full first page in disjoint windows of the width it covered", () => {
    const plan = new SearchPlan(["agent"], us(0), us(1_000_000), 3);
    const first = plan.next()!;
    expect(first).toEqual({ service: "agent", minNs: us(0), maxNs: us(1_000_000) });
    expect(plan.next()).toBeUndefined(); // nothing is known until the first page is in
    plan.done(first, starts(999_990, 999_950, 999_900)); // 3 traces over ~100 µs
    const a = plan.next()!;
    const b = plan.next()!;
    expect(a.maxNs).toBe(us(999_902) - 1n);
    expect(b.maxNs).toBe(a.minNs - 1n); // disjoint, in flight together
    expect(a.maxNs - a.minNs).toBeLessThan(us(101));
  });

  it("a light window widens the next ones (at most 4×), so an empty stretch takes few searches", () => {
    const plan = new SearchPlan(["agent"], us(0), us(1_000_000), 8);
    const first = plan.next()!;
    plan.done(first, starts(999_990, 999_980, 999_970, 999_960, 999_950, 999_940, 999_930, 999_920));
    const a = plan.next()!;
    plan.done(a, starts());
    const b = plan.next()!;
    expect(b.maxNs - b.minNs).toBeGreaterThan(3n * (a.maxNs - a.minNs));
    let searches = 2;
    for (let w = b; w !== undefined; w = plan.next()!) {
      plan.done(w, starts());
      searches++;
    }
    expect(searches).toBeLessThan(20);
  });

  it("a full walked window has its remainder searched again, and the walk narrows", () => {
    const plan = new SearchPlan(["agent"], us(0), us(1_000_000), 2);
    plan.done(plan.next()!, starts(999_000, 998_000));
    const a = plan.next()!;
    plan.done(a, starts(997_500, 997_000));
    const rest = plan.next()!;
    expect(rest).toEqual({ service: "agent", minNs: a.minNs, maxNs: us(997_002) - 1n });
    const after = plan.next()!;
    expect(after.maxNs).toBe(a.minNs - 1n);
  });

  it("covers the whole range exactly once, whatever the pages say", () => {
    const plan = new SearchPlan(["agent"], us(0), us(10_000), 2);
    const covered: Window[] = [];
    let w = plan.next();
    plan.done(w!, starts(9_999, 9_998));
    for (w = plan.next(); w !== undefined; w = plan.next()) {
      covered.push(w);
      plan.done(w, starts());
    }
    const sorted = covered.sort((x, y) => (x.minNs < y.minNs ? -1 : 1));
    expect(sorted[0]!.minNs).toBe(0n);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.minNs).toBe(sorted[i - 1]!.maxNs + 1n);
    expect(sorted.at(-1)!.maxNs).toBe(us(10_000) - 1n);
  });
});
