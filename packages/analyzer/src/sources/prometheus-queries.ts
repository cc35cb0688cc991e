// The PromQL queries of --source prometheus: the collector's span metrics (spanmetrics
// connector: traces_span_metrics_*) and its token/cost sums (signal_to_metrics: llm_usage_*),
// each an instant query at the window's end over the window's length.
import { LLM_OPERATIONS } from "@jotty/engine/semconv";
import { SourceError } from "./errors.js";
import { getJson } from "./http-json.js";
import { RefusedSamples, sampleValue } from "./prometheus-plausible.js";

export const PROMETHEUS_HINT = "start the stack (`pnpm stack up` or `docker compose up -d`) or pass --prometheus URL";

// Series names as the collector's prometheus exporter writes them (dots → underscores,
// unit and _total suffixes added).
export const SPAN_DURATION = "traces_span_metrics_duration_milliseconds";
// Calls are counted from the duration histogram's _count (one observation per span), which the
// collector keeps cumulative; traces_span_metrics_calls_total has been seen reading 0 after
// a flush on the native stack while the histogram kept its counts.
export const SPAN_CALLS = `${SPAN_DURATION}_count`;
export const LLM_INPUT_TOKENS = "llm_usage_input_tokens_total";
export const LLM_OUTPUT_TOKENS = "llm_usage_output_tokens_total";
export const LLM_COST = "llm_usage_cost_total";

const LLM_MATCH = `gen_ai_operation_name=~"${[...LLM_OPERATIONS].join("|")}"`;
const STEP_MATCH = `jotty_step_name!=""`;
const ERROR_MATCH = `status_code="STATUS_CODE_ERROR"`;

export interface PrometheusOptions {
  url: string;
  service?: string;
  start: Date;
  end: Date;
  top?: number;
  /** Request headers, e.g. auth for a secured Prometheus (--header, PROMETHEUS_HEADERS); never printed. */
  headers?: Readonly<Record<string, string>>;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** Every series the report is built from, each summed over the window. */
export interface SpanMetricSamples {
  calls: Sample[];
  errors: Sample[];
  durations: Sample[];
  p50: Sample[];
  p95: Sample[];
  llmCalls: Sample[];
  llmMs: Sample[];
  llmP50: Sample[];
  llmP95: Sample[];
  stepCalls: Sample[];
  stepMs: Sample[];
  stepP95: Sample[];
  stepErrors: Sample[];
  inputTokens: Sample[];
  outputTokens: Sample[];
  cost: Sample[];
  /** Values no counter can hold, left out of the lists above. */
  refused: RefusedSamples;
}

export async function querySpanMetrics(options: PrometheusOptions): Promise<SpanMetricSamples> {
  const range = `${Math.max(1, Math.round((options.end.getTime() - options.start.getTime()) / 1000))}s`;
  const service = options.service !== undefined ? `service_name=${JSON.stringify(options.service)}` : "";
  const sel = (...matchers: string[]) => `{${[service, ...matchers].filter(Boolean).join(",")}}`;
  const refused = new RefusedSamples();
  const query = (expr: string, metric: string, isQuantile = false) =>
    instantQuery(options, expr, (value, labels) => refused.accept(value, metric, labels, isQuantile));
  const inc = (metric: string, by: string, ...matchers: string[]) => query(`sum by (${by}) (${windowIncrease(`${metric}${sel(...matchers)}`, range)})`, metric);
  const quantile = (q: number, by: string, ...matchers: string[]) =>
    query(
      `histogram_quantile(${q}, sum by (le, ${by}) (${windowIncrease(`${SPAN_DURATION}_bucket${sel(...matchers)}`, range)}))`,
      `histogram_quantile(${q}, ${SPAN_DURATION}_bucket)`,
      true,
    );
  // The sums carry service.name as a resource attribute (the job label), not service_name.
  const usageSel = options.service !== undefined ? `{job=~".*${escapeRegex(options.service)}"}` : "";
  const usage = (metric: string) => query(`sum by (gen_ai_provider_name, gen_ai_request_model) (${windowIncrease(`${metric}${usageSel}`, range)})`, metric);

  const [calls, errors, durations, p50, p95, llmCalls, llmMs, llmP50, llmP95, stepCalls, stepMs, stepP95, stepErrors] = await Promise.all([
    inc(SPAN_CALLS, "span_name"),
    inc(SPAN_CALLS, "span_name", ERROR_MATCH),
    inc(`${SPAN_DURATION}_sum`, "span_name"),
    quantile(0.5, "span_name"),
    quantile(0.95, "span_name"),
    inc(SPAN_CALLS, "gen_ai_request_model", LLM_MATCH),
    inc(`${SPAN_DURATION}_sum`, "gen_ai_request_model", LLM_MATCH),
    quantile(0.5, "gen_ai_request_model", LLM_MATCH),
    quantile(0.95, "gen_ai_request_model", LLM_MATCH),
    inc(SPAN_CALLS, "jotty_step_name", STEP_MATCH),
    inc(`${SPAN_DURATION}_sum`, "jotty_step_name", STEP_MATCH),
    quantile(0.95, "jotty_step_name", STEP_MATCH),
    inc(SPAN_CALLS, "jotty_step_name", STEP_MATCH, ERROR_MATCH),
  ]);
  const [inputTokens, outputTokens, cost] = await Promise.all([usage(LLM_INPUT_TOKENS), usage(LLM_OUTPUT_TOKENS), usage(LLM_COST)]);
  return {
    calls,
    errors,
    durations,
    p50,
    p95,
    llmCalls,
    llmMs,
    llmP50,
    llmP95,
    stepCalls,
    stepMs,
    stepP95,
    stepErrors,
    inputTokens,
    outputTokens,
    cost,
    refused,
  };
}

/**
 * What a counter gained in the window. increase() only sees differences between samples, so a
 * series born inside the window (first scraped at its final value, as after a short burst of
 * traces) would count 0: such series, absent one window earlier, count their whole value.
 */
export function windowIncrease(selector: string, range: string): string {
  return `((increase(${selector}[${range}]) and max_over_time(${selector}[${range}] offset ${range})) or max_over_time(${selector}[${range}]))`;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function instantQuery(options: PrometheusOptions, expr: string, accept: (value: number, labels: Record<string, string>) => boolean): Promise<Sample[]> {
  const target = new URL("/api/v1/query", options.url);
  target.searchParams.set("query", expr);
  target.searchParams.set("time", (options.end.getTime() / 1000).toFixed(3));
  const { body } = await getJson(target, { system: "Prometheus", unreachableHint: PROMETHEUS_HINT, acceptStatus: [400, 422], headers: options.headers });
  const response = body as { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  if (response?.status !== "success") {
    throw new SourceError(`Prometheus at ${target.origin} rejected a query: ${response?.error ?? "no status in the answer"}`);
  }
  if (response.data?.resultType !== "vector" || !Array.isArray(response.data.result)) {
    throw new SourceError(`Prometheus at ${target.origin} answered a query without a vector result`);
  }
  const samples: Sample[] = [];
  for (const r of response.data.result as { metric?: Record<string, string>; value?: [number, string] }[]) {
    const value = sampleValue(r.value?.[1]);
    if (r.metric !== undefined && accept(value, r.metric)) samples.push({ metric: r.metric, value });
  }
  return samples;
}
