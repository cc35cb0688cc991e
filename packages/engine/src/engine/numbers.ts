// Rounding of report figures: ms to the microsecond (span times are doubles with ~256 ns
// resolution), shares to 4 decimals, USD to 1e-9, means of tokens to one decimal.

export const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;
export const share = (part: number, whole: number): number => (whole > 0 ? Math.round(Math.min(1, Math.max(0, part / whole)) * 1e4) / 1e4 : 0);
export const usd = (x: number): number => Math.round(x * 1e9) / 1e9;
/**
 * USD summed exactly, so that the order of the calls (and the parts a file was read in) cannot
 * change a figure: whole picodollars, carried into `hi` (units of 2^52 pUSD) before `lo` loses
 * precision. Plain data, so it merges (numbers add up) and crosses to a worker thread.
 */
export interface UsdSum {
  hi: number;
  lo: number;
}

const CARRY = 2 ** 52;
export const usdSum = (): UsdSum => ({ hi: 0, lo: 0 });

export function addUsd(sum: UsdSum, amount: number): void {
  sum.lo += Math.round(amount * 1e12);
  if (sum.lo >= CARRY || sum.lo <= -CARRY) {
    const carry = Math.trunc(sum.lo / CARRY);
    sum.hi += carry;
    sum.lo -= carry * CARRY;
  }
}

export const usdOf = (sum: UsdSum): number => (sum.hi * CARRY + sum.lo) / 1e12;

/** One amount as a UsdSum of it reads back. */
export const picoRounded = (amount: number): number => Math.round(amount * 1e12) / 1e12;

export const tenth = (x: number): number => Math.round(x * 10) / 10;

/** "1 timeout and 2 retries" from [count, singular, plural] items, leaving out those counted 0. */
export function countedList(items: readonly (readonly [number, string, string])[]): string {
  const words = items.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Code-unit order of two strings, for sort tie-breaks. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Nearest-rank percentile (always an observed value); 0 for no values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Length of the union of intervals given as parallel start and end arrays: a sweep over the
 * starts and the ends sorted separately (native numeric sorts, no comparator), measuring where
 * at least one interval is open.
 */
export function unionLength(starts: Float64Array, ends: Float64Array): number {
  const n = starts.length;
  if (n === 0) return 0;
  starts.sort();
  ends.sort();
  let total = 0;
  let open = 0;
  let since = 0;
  let i = 0;
  let j = 0;
  while (j < n) {
    if (i < n && starts[i]! <= ends[j]!) {
      if (open++ === 0) since = starts[i]!;
      i++;
    } else {
      if (--open === 0) total += ends[j]! - since;
      j++;
    }
  }
  return total;
}
