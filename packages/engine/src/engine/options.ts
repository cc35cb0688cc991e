import type { Report } from "../report.js";
import type { TraceObserver } from "./run-records.js";
import type { PlausibleOptions } from "./plausible.js";

/** USD per token; input rates apply to uncached input, cacheRead and cacheWrite to cache reads and writes. */
export interface ModelRates {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** Prices of a model, or undefined when unknown. Must be a pure lookup. */
export type PriceLookup = (provider: string, model: string) => ModelRates | undefined;

export interface ReportOptions {
  source: Report["source"];
  /** The queried window; when absent, the span extent (RFC 3339) or nulls for no spans. */
  window?: Report["window"];
  /** Length of the operations, bottlenecks and slowest-traces lists (default 10). */
  top?: number;
  /** Jaeger UI base URL for slowestTraces[].url (`${jaegerUrl}/trace/${traceId}`); give it only when the spans come from that Jaeger. */
  jaegerUrl?: string;
  /**
   * Prices calls that carry no gen_ai.usage.cost, the extra input tokens of compress-context and
   * the cheaper models of model-selection. Default: catalogPrices() (the bundled
   * @pydantic/genai-prices data); null: no prices (costs only from gen_ai.usage.cost).
   */
  prices?: PriceLookup | null;
  /** Sibling overlap the critical path treats as clock jitter (default 1 ms; 0 = exactly jaeger-ui). */
  clockToleranceMs?: number;
  /** Spans held for unfinished traces before the longest-idle ones are analysed early (default 100,000). */
  maxPendingSpans?: number;
  /** Keep the slowest trace's spans as report.waterfall (the HTML view draws them; default false). */
  waterfall?: boolean;
  /** Span times refused as implausible: past `latestMs` (default 2200) or longer than `maxSpanMs` (default 7 days). */
  plausible?: PlausibleOptions;
  /** Cheaper models to consider per provider (default CHEAPER_MODELS). */
  cheaperModels?: (provider: string) => readonly string[];
  /** Sees each trace once analysed (a RunRecorder keeps per-run records for comparisons). */
  traceObserver?: TraceObserver;
}

/** Input tokens include the cache reads and writes (the GenAI convention). */
export function costOf(rates: ModelRates, inputTokens: number, outputTokens: number, cacheReadTokens: number, cacheWriteTokens = 0): number {
  const cached = Math.min(cacheReadTokens, inputTokens);
  const written = Math.min(cacheWriteTokens, inputTokens - cached);
  return (
    (inputTokens - cached - written) * rates.input +
    cached * (rates.cacheRead ?? rates.input) +
    written * (rates.cacheWrite ?? rates.input) +
    outputTokens * rates.output
  );
}
