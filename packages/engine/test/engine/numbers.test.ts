import { describe, expect, it } from "vitest";
import { ms, percentile, share, unionLength } from "../../src/engine/numbers.js";

describe("report numbers", () => {
  it("nearest-rank percentiles are observed values", () => {
    const sorted = Float64Array.from([10, 20, 30, 40]);
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 100), percentile(sorted, 0)]).toEqual([20, 40, 40, 10]);
    expect(percentile(new Float64Array(0), 50)).toBe(0);
  });

  it("the union of intervals counts overlaps once and skips gaps", () => {
    const u = (pairs: [number, number][]) => unionLength(Float64Array.from(pairs.map((p) => p[0])), Float64Array.from(pairs.map((p) => p[1])));
    expect(u([])).toBe(0);
    expect(u([[0, 10]])).toBe(10);
    expect(
      u([
        [0, 10],
        [5, 15],
        [20, 30],
      ]),
    ).toBe(25);
    expect(
      u([
        [20, 30],
        [0, 100],
        [40, 50],
      ]),
    ).toBe(100); // nested
    expect(
      u([
        [0, 10],
        [10, 20],
      ]),
    ).toBe(20); // touching
    expect(
      u([
        [5, 5],
        [5, 5],
      ]),
    ).toBe(0); // empty
  });

  it("rounds ms to the microsecond and clamps shares to [0, 1]", () => {
    expect(ms(1.7e18 + 99_999_744 - 1.7e18)).toBe(100); // a double's 256 ns resolution at today's epoch
    expect(share(3, 2)).toBe(1);
    expect(share(-1, 2)).toBe(0);
    expect(share(1, 0)).toBe(0);
    expect(share(1, 3)).toBe(0.3333);
  });
});
