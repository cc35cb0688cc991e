// The two-sided Mann–Whitney U test (Wilcoxon rank-sum) on two samples of per-run values: no
// assumption of normality, so a few slow outliers do not make noise look like a change. The
// rank sum comes from simple-statistics (average ranks for ties); simple-statistics has no
// p-value for it, so the exact null distribution (small samples without ties) and the normal
// approximation with tie and continuity correction are written here, as textbooks give them.
import { errorFunction, wilcoxonRankSum } from "simple-statistics";

/** Samples up to this size on both sides, without ties, get the exact p-value. */
export const EXACT_MAX_SAMPLE = 20;

export interface RankTest {
  /** U of the first sample (the number of pairs where it is the larger, ties counting ½). */
  u: number;
  /** Two-sided p-value; 1 when every value is the same. */
  pValue: number;
  /** Every value of both samples is the same: no test is possible (left out of the Holm family). */
  degenerate: boolean;
}

/** Mann–Whitney U of `x` against `y`; undefined when either side has fewer than 2 values. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankTest | undefined {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 < 2 || n2 < 2) return undefined;
  const ties = tieCounts(x, y);
  if (ties.length === 1) return { u: (n1 * n2) / 2, pValue: 1, degenerate: true };
  const u = wilcoxonRankSum([...x], [...y]) - (n1 * (n1 + 1)) / 2;
  const pValue = ties.every((t) => t === 1) && n1 <= EXACT_MAX_SAMPLE && n2 <= EXACT_MAX_SAMPLE ? exactP(u, n1, n2) : normalP(u, n1, n2, ties);
  return { u, pValue: Math.min(1, pValue), degenerate: false };
}

/** Sizes of the groups of equal values of both samples (a native numeric sort). */
function tieCounts(x: readonly number[], y: readonly number[]): number[] {
  const values = new Float64Array(x.length + y.length);
  values.set(x);
  values.set(y, x.length);
  values.sort();
  const counts: number[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    counts.push(j - i);
    i = j;
  }
  return counts;
}

/** P(U ≤ min(u, n1·n2 − u)) × 2 from the exact distribution: the counts of U for sizes (i, j). */
function exactP(u: number, n1: number, n2: number): number {
  const max = n1 * n2;
  // freq[i][j][k]: orderings of i x's and j y's whose U is k; freq(i,j) = freq(i-1,j)<<j + freq(i,j-1).
  let previous: Float64Array[] = [];
  for (let i = 0; i <= n1; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n2; j++) {
      const f = new Float64Array(i * j + 1);
      if (i === 0 || j === 0) f[0] = 1;
      else {
        const withX = previous[j]!;
        for (let k = 0; k < withX.length; k++) f[k + j]! += withX[k]!;
        const withY = row[j - 1]!;
        for (let k = 0; k < withY.length; k++) f[k]! += withY[k]!;
      }
      row.push(f);
    }
    previous = row;
  }
  const dist = previous[n2]!;
  const lower = Math.floor(Math.min(u, max - u));
  let tail = 0;
  let total = 0;
  for (let k = 0; k <= max; k++) {
    total += dist[k]!;
    if (k <= lower) tail += dist[k]!;
  }
  return (2 * tail) / total;
}

function normalP(u: number, n1: number, n2: number, ties: number[]): number {
  const n = n1 + n2;
  const tieTerm = ties.reduce((sum, t) => sum + (t * t * t - t), 0) / (n * (n - 1));
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  if (sigma === 0) return 1;
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / sigma;
  // Two-sided tail of the standard normal: 2·(1 − Φ(z)) = 1 − erf(z/√2).
  return Math.max(0, 1 - errorFunction(z / Math.SQRT2));
}
