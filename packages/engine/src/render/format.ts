// Number formatting shared by the table and markdown views.

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const abs = Math.abs(ms);
  if (abs < 1) return `${ms.toFixed(2)} ms`;
  if (abs < 1000) return `${ms.toFixed(abs < 10 ? 1 : 0)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  if (abs < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A 0..1 share as a percentage. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return "–";
  const pct = share * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

/**
 * Shares of a partition as percentages to one decimal that add up to exactly 100.0 (largest
 * remainder), so a reader never sees a whole that is 99.9 % or 100.1 %. Non-partitions (a sum
 * far from 1) are shown as they are.
 */
export function partitionPercents(shares: readonly number[]): string[] {
  const total = shares.reduce((a, b) => a + b, 0);
  if (shares.length === 0 || Math.abs(total - 1) > 0.01) return shares.map(formatShare);
  const tenths = shares.map((s) => (s / total) * 1000);
  const floors = tenths.map(Math.floor);
  let left = 1000 - floors.reduce((a, b) => a + b, 0);
  const byRemainder = tenths.map((t, i) => ({ i, r: t - floors[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    floors[i]!++;
  }
  return floors.map((t) => `${(t / 10).toFixed(1)} %`);
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "–";
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return "–";
  if (usd === 0) return "$0";
  const abs = Math.abs(usd);
  return `$${abs >= 100 ? usd.toFixed(0) : abs >= 1 ? usd.toFixed(2) : usd.toPrecision(2)}`;
}

/** "2026-11-25 20:07:00 UTC" from an RFC 3339 string (or "…" when open). */
export function formatInstant(iso: string | null): string {
  if (iso === null) return "…";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** A proportional bar for the time distribution, `width` cells for a share of 1. */
export function bar(share: number, width: number): string {
  const cells = Math.max(0, Math.min(width, Math.round(share * width)));
  return "█".repeat(cells);
}
