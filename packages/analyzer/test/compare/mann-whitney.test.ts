// The rank test against published values: R's wilcox.test documentation example (Hollander &
// Wolfe) and the smallest exact tail; and the Holm correction against its definition.
import { describe, expect, it } from "vitest";
import { holmAdjust } from "../../src/compare/holm.js";
import { mannWhitneyU } from "../../src/compare/mann-whitney.js";

describe("mannWhitneyU", () => {
  it("matches R's wilcox.test example: W = 35, two-sided exact p = 0.2544", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const test = mannWhitneyU(x, y)!;
    expect(test.u).toBe(35);
    expect(test.pValue).toBeCloseTo(0.2544, 4);
  });

  it("gives the smallest exact tail for fully separated samples of 5: 2/252", () => {
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!.pValue).toBeCloseTo(2 / 252, 10);
  });

  it("with ties uses the corrected normal approximation, close to the exact value", () => {
    // 30 against 30 with a clear shift and ties: small p; the same samples swapped give the same p.
    const a = Array.from({ length: 30 }, (_, i) => Math.round(i / 3));
    const b = a.map((v) => v + 3);
    const p = mannWhitneyU(a, b)!.pValue;
    expect(p).toBeLessThan(0.01);
    expect(mannWhitneyU(b, a)!.pValue).toBeCloseTo(p, 12);
  });

  it("is degenerate when every value is the same, and undefined below two values a side", () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3])).toEqual({ u: 3, pValue: 1, degenerate: true });
    expect(mannWhitneyU([1], [2, 3, 4])).toBeUndefined();
  });
});

describe("holmAdjust", () => {
  it("multiplies the k-th smallest p by (m − k + 1), monotone and at most 1", () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holmAdjust([0.6, 0.6])).toEqual([1, 1]);
  });
});
