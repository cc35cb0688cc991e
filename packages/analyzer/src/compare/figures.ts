// Small figures over per-run values, rounded as the engine rounds the report's.

export const roundMs = (x: number): number => Math.round(x * 1e3) / 1e3;
export const roundTenth = (x: number): number => Math.round(x * 10) / 10;
export const roundUsd = (x: number): number => Math.round(x * 1e9) / 1e9;
export const roundShare = (x: number): number => Math.round(x * 1e4) / 1e4;

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Nearest-rank percentile of sorted values, as the report's p50/p95 (always an observed value); 0 for none. */
export function percentileSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
