// Shared by the paired-round benchmarks (not a benchmark itself: bench/run.ts runs *.bench.ts only).

/** The median; for an even count, the mean of the middle two. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The middle half of the values (first to third quartile, nearest rank): how far the rounds spread. */
export function quartiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return [at(0.25), at(0.75)];
}

/**
 * `rounds` measurements off and on, in back-to-back pairs whose order alternates, so drift on a
 * shared machine hits both alike.
 */
export async function pairedRounds<T>(rounds: number, measure: (on: boolean) => Promise<T>): Promise<{ off: T[]; on: T[] }> {
  const off: T[] = [];
  const on: T[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      off.push(await measure(false));
      on.push(await measure(true));
    } else {
      on.push(await measure(true));
      off.push(await measure(false));
    }
  }
  return { off, on };
}
