// Shared by the paired-round benchmarks (not a benchmark itself: bench/run.ts runs *.bench.ts only).

/** The median; for an even count, the mean of the middle two. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
