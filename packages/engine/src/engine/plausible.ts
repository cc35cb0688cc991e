// Figures no provider or clock can produce: negative, fractional or absurd token counts, negative
// or unbounded costs, span times past the year 2200 or lasting longer than a plausible span. They
// are refused (never summed) and counted, one warning line per kind with an example span.

import type { Span } from "../model.js";
import { mergeValue } from "./merge-state.js";

/** More tokens than any model's context or output in one call: a unit error or a corrupt figure. */
export const MAX_TOKENS_PER_CALL = 1e9;

/** USD for one call: 10^9 tokens at the dearest list price ($600 per million) is $600,000. */
export const MAX_COST_PER_CALL_USD = 1e6;

/** A span lasting longer than this is refused (ReportOptions.plausible.maxSpanMs; --max-span). */
export const DEFAULT_MAX_SPAN_MS = 7 * 86_400_000;

/**
 * Times after this instant are refused: int64/uint64 maxima (years 2262 and 2554) and other
 * sentinels of broken exporters, never a real clock (ReportOptions.plausible.latestMs).
 */
export const DEFAULT_LATEST_MS = Date.UTC(2200, 0, 1);

export interface PlausibleOptions {
  /** Longest plausible span (default 7 days). */
  maxSpanMs?: number;
  /** Latest plausible span time (default 2200-01-01T00:00:00Z), epoch ms. */
  latestMs?: number;
}

export const plausibleTokens = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= MAX_TOKENS_PER_CALL;
export const plausibleCost = (usd: number): boolean => Number.isFinite(usd) && usd >= 0 && usd <= MAX_COST_PER_CALL_USD;

type Kind = "tokens" | "cost" | "times";

const MESSAGES: Record<Kind, (count: number, options: Required<PlausibleOptions>) => string> = {
  tokens: (n) => `${n} token count(s) no provider returns (negative, fractional or over 10^9 in one call): refused, read as not recorded`,
  cost: (n) =>
    `${n} cost(s) no provider bills (negative, not finite or over $${MAX_COST_PER_CALL_USD.toLocaleString("en-US")} for one call): refused, the call priced from its tokens instead`,
  times: (n, o) =>
    `${n} span(s) with times no clock produces (after ${new Date(o.latestMs).toISOString()} or lasting over ${days(o.maxSpanMs * 1e6)}): left out`,
};

function days(ns: number): string {
  const d = ns / 86_400e9;
  return d >= 1 ? `${Math.round(d * 10) / 10} d` : `${Math.round(ns / 1e6)} ms`;
}

/** Counts refused figures per kind, keeping the first example of each. */
export class PlausibilityLog {
  private readonly counts = new Map<Kind, { count: number; example: string }>();
  private readonly options: Required<PlausibleOptions>;
  private readonly maxSpanNs: number;
  private readonly latestNs: number;

  constructor(options: PlausibleOptions = {}) {
    this.options = { maxSpanMs: options.maxSpanMs ?? DEFAULT_MAX_SPAN_MS, latestMs: options.latestMs ?? DEFAULT_LATEST_MS };
    this.maxSpanNs = this.options.maxSpanMs * 1e6;
    this.latestNs = this.options.latestMs * 1e6;
  }

  /** Whether the span's times are plausible; counts it when not. */
  times(span: Span): boolean {
    const late = span.startNs > this.latestNs || span.endNs > this.latestNs;
    const long = span.endNs - span.startNs > this.maxSpanNs;
    if (!late && !long) return true;
    const at = late ? `${span.endNs > this.latestNs ? "ends" : "starts"} ${isoOrRaw(Math.max(span.startNs, span.endNs))}` : "";
    this.note("times", span, [at, `lasts ${days(span.endNs - span.startNs)}`].filter(Boolean).join(", "));
    return false;
  }

  /** Counts the usage figures an LLM span's reader refused (LlmInfo.refused). */
  usage(span: Span, refused: { tokens: number; cost: number; example: string }): void {
    if (refused.tokens > 0) this.note("tokens", span, refused.example, refused.tokens);
    if (refused.cost > 0) this.note("cost", span, refused.example, refused.cost);
  }

  private note(kind: Kind, span: Span, what: string, count = 1): void {
    const seen = this.counts.get(kind);
    if (seen !== undefined) seen.count += count;
    else this.counts.set(kind, { count, example: `span ${span.spanId} of trace ${span.traceId}: ${what}` });
  }

  state() {
    return this.counts;
  }

  merge(s: ReturnType<PlausibilityLog["state"]>): void {
    mergeValue(this.counts, s);
  }

  lines(): string[] {
    return [...this.counts].map(([kind, { count, example }]) => `${MESSAGES[kind](count, this.options)} (e.g. ${example})`);
  }
}

function isoOrRaw(ns: number): string {
  const date = new Date(ns / 1e6);
  return Number.isNaN(date.getTime()) ? `${ns} ns` : date.toISOString();
}
