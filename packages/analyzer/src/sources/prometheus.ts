// --source prometheus: the aggregate breakdown from the collector's span metrics
// (spanmetrics connector: traces_span_metrics_*) and its token/cost sums (signal_to_metrics:
// llm_usage_*), for windows too large to pull as traces. Counts, totals, tokens and cost are
// counter increases over the window; anything that needs the span tree is absent and a warning
// says so.
import { impactOf } from "../engine/bottlenecks.js";
import { BOTTLENECK_MIN_SHARE, DEFAULT_TOP } from "../engine/constants.js";
import type { Report } from "../report.js";
import { LLM_OPERATIONS } from "../semconv.js";
import { SourceError } from "./errors.js";
import { getJson } from "./http-json.js";

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

export interface PrometheusOptions {
  url: string;
  service?: string;
  start: Date;
  end: Date;
  top?: number;
}

interface Sample {
  metric: Record<string, string>;
  value: number;
}

export async function readPrometheusReport(options: PrometheusOptions): Promise<Report> {
  const range = `${Math.max(1, Math.round((options.end.getTime() - options.start.getTime()) / 1000))}s`;
  const service = options.service !== undefined ? `service_name=${JSON.stringify(options.service)}` : "";
  const sel = (...matchers: string[]) => `{${[service, ...matchers].filter(Boolean).join(",")}}`;
  const query = (expr: string) => instantQuery(options.url, expr, options.end);
  const inc = (metric: string, by: string, ...matchers: string[]) =>
    query(`sum by (${by}) (${windowIncrease(`${metric}${sel(...matchers)}`, range)})`);
  const quantile = (q: number, by: string, ...matchers: string[]) =>
    query(`histogram_quantile(${q}, sum by (le, ${by}) (${windowIncrease(`${SPAN_DURATION}_bucket${sel(...matchers)}`, range)}))`);

  const [calls, errors, durations, p50, p95, llmCalls, llmMs, llmP50, llmP95, stepCalls, stepMs, stepP95, stepErrors] =
    await Promise.all([
      inc(SPAN_CALLS, "span_name"),
      inc(SPAN_CALLS, "span_name", `status_code="STATUS_CODE_ERROR"`),
      inc(`${SPAN_DURATION}_sum`, "span_name"),
      quantile(0.5, "span_name"),
      quantile(0.95, "span_name"),
      inc(SPAN_CALLS, "gen_ai_request_model", LLM_MATCH),
      inc(`${SPAN_DURATION}_sum`, "gen_ai_request_model", LLM_MATCH),
      quantile(0.5, "gen_ai_request_model", LLM_MATCH),
      quantile(0.95, "gen_ai_request_model", LLM_MATCH),
      inc(SPAN_CALLS, "jotty_step_name", `jotty_step_name!=""`),
      inc(`${SPAN_DURATION}_sum`, "jotty_step_name", `jotty_step_name!=""`),
      quantile(0.95, "jotty_step_name", `jotty_step_name!=""`),
      inc(SPAN_CALLS, "jotty_step_name", `jotty_step_name!=""`, `status_code="STATUS_CODE_ERROR"`),
    ]);
  // The sums carry service.name as a resource attribute (the job label), not service_name.
  const usageSel = options.service !== undefined ? `{job=~".*${escapeRegex(options.service)}"}` : "";
  const usage = (metric: string) =>
    query(`sum by (gen_ai_provider_name, gen_ai_request_model) (${windowIncrease(`${metric}${usageSel}`, range)})`);
  const [inputTokens, outputTokens, cost] = await Promise.all([
    usage(LLM_INPUT_TOKENS),
    usage(LLM_OUTPUT_TOKENS),
    usage(LLM_COST),
  ]);

  const byName = (samples: Sample[], label: string) => new Map(samples.map((s) => [s.metric[label] ?? "", s.value]));
  const errorsBy = byName(errors, "span_name");
  const msBy = byName(durations, "span_name");
  const p50By = byName(p50, "span_name");
  const p95By = byName(p95, "span_name");
  const operations = calls
    .map((s) => {
      const name = s.metric.span_name ?? "";
      return { name, count: round(s.value), totalMs: msBy.get(name) ?? 0, p50Ms: finite(p50By.get(name)), p95Ms: finite(p95By.get(name)), errors: round(errorsBy.get(name) ?? 0) };
    })
    .filter((o) => o.count > 0)
    .sort((a, b) => b.totalMs - a.totalMs);

  // Without trace trees there is no wall time; shares are of the operation with the most total
  // time, normally the root of every trace (e.g. invoke_workflow).
  const base = operations[0];
  const baseMs = base?.totalMs ?? 0;
  const share = (ms: number) => (baseMs > 0 ? ms / baseMs : 0);

  const llmMsBy = byName(llmMs, "gen_ai_request_model");
  const llmP50By = byName(llmP50, "gen_ai_request_model");
  const llmP95By = byName(llmP95, "gen_ai_request_model");
  const tokensIn = usageByModel(inputTokens);
  const tokensOut = usageByModel(outputTokens);
  const costs = usageByModel(cost);
  const models = new Set([...llmCalls.map((s) => s.metric.gen_ai_request_model ?? ""), ...tokensIn.keys(), ...costs.keys()]);
  const byModel = [...models].map((model) => ({
    provider: tokensIn.get(model)?.provider ?? costs.get(model)?.provider ?? tokensOut.get(model)?.provider ?? "",
    model,
    calls: round(llmCalls.find((s) => (s.metric.gen_ai_request_model ?? "") === model)?.value ?? 0),
    inputTokens: round(tokensIn.get(model)?.value ?? 0),
    outputTokens: round(tokensOut.get(model)?.value ?? 0),
    cacheReadTokens: 0, // not summed by the collector
    costUsd: costs.get(model)?.value ?? 0,
    p50Ms: finite(llmP50By.get(model)),
    p95Ms: finite(llmP95By.get(model)),
  }));
  byModel.sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
  const llmTotalMs = [...llmMsBy.values()].reduce((a, b) => a + b, 0);

  const stepMsBy = byName(stepMs, "jotty_step_name");
  const stepP95By = byName(stepP95, "jotty_step_name");
  const stepErrorsBy = byName(stepErrors, "jotty_step_name");
  const steps = stepCalls
    .filter((s) => s.value > 0)
    .map((s) => {
      const name = s.metric.jotty_step_name ?? "";
      const totalMs = stepMsBy.get(name) ?? 0;
      return {
        name,
        position: 0, // step order is a span attribute, not a metric dimension
        count: round(s.value),
        meanMs: s.value > 0 ? totalMs / s.value : 0,
        p95Ms: finite(stepP95By.get(name)),
        share: share(totalMs),
        meanInputTokens: 0,
        timeouts: 0,
        retries: 0,
        failures: round(stepErrorsBy.get(name) ?? 0),
      };
    })
    .sort((a, b) => b.share - a.share);

  const timeDistribution = [
    ...(llmTotalMs > 0 ? [{ component: "LLM calls", ms: llmTotalMs, share: share(llmTotalMs) }] : []),
    ...steps.map((s) => ({ component: `step ${s.name}`, ms: s.meanMs * s.count, share: s.share })),
  ];
  const bottlenecks = [
    ...(llmTotalMs > 0 ? [{ name: "LLM calls", share: share(llmTotalMs) }] : []),
    ...steps.map((s) => ({ name: `step ${s.name}`, share: s.share })),
  ]
    .filter((b) => b.share >= BOTTLENECK_MIN_SHARE)
    .sort((a, b) => b.share - a.share)
    .map((b) => ({
      name: b.name,
      impact: impactOf(b.share),
      share: b.share,
      why: `${Math.round(b.share * 100)} % of the time of ${base?.name ?? "the longest operation"} (sum of span durations from span metrics)`,
    }));

  const totalSpans = operations.reduce((a, o) => a + o.count, 0);
  const top = options.top ?? DEFAULT_TOP;
  return {
    schemaVersion: 1,
    source: { kind: "prometheus", location: options.url },
    window: { start: options.start.toISOString(), end: options.end.toISOString() },
    traces: 0,
    spans: totalSpans,
    wallMs: 0,
    timeDistribution,
    llm: {
      calls: byModel.reduce((a, m) => a + m.calls, 0),
      ms: llmTotalMs,
      share: share(llmTotalMs),
      criticalShare: 0,
      inputTokens: byModel.reduce((a, m) => a + m.inputTokens, 0),
      outputTokens: byModel.reduce((a, m) => a + m.outputTokens, 0),
      cacheReadTokens: 0,
      costUsd: byModel.reduce((a, m) => a + m.costUsd, 0),
      byModel,
    },
    operations: operations.slice(0, top).map((o) => ({
      name: o.name,
      count: o.count,
      totalMs: o.totalMs,
      selfMs: 0,
      selfShare: 0,
      criticalMs: 0,
      criticalShare: 0,
      p50Ms: o.p50Ms,
      p95Ms: o.p95Ms,
      maxMs: 0,
      errors: o.errors,
    })),
    steps,
    runs: runsOf(operations),
    bottlenecks: bottlenecks.slice(0, top),
    recommendations: [],
    slowestTraces: [],
    warnings:
      totalSpans === 0
        ? [`Prometheus has no span metrics (${SPAN_CALLS}) in this window; is the collector's spanmetrics connector scraped?`]
        : [
            `Aggregates from Prometheus span metrics: span counts, errors, summed durations, LLM calls, tokens and cost are exact counter increases over the window (series older than the window are extrapolated at its edges by Prometheus); p50/p95 are estimated from histogram buckets; shares are of ${base?.name}'s total time.`,
            "Needs trace detail (--source jaeger or --file): traces, wall time, runs without an invoke_workflow span, self time, critical path, the union of LLM time, step positions and input tokens, timeouts, retries, cached tokens, max durations, recommendations and slowest traces.",
          ],
  };
}

/** Runs are invoke_workflow spans; a run failed when its span has ERROR status. */
function runsOf(operations: { name: string; count: number; errors: number }[]): Report["runs"] {
  const workflows = operations.filter((o) => o.name.startsWith("invoke_workflow"));
  const count = workflows.reduce((a, o) => a + o.count, 0);
  const succeeded = count - workflows.reduce((a, o) => a + o.errors, 0);
  return { count, succeeded, successRate: count > 0 ? succeeded / count : 0 };
}

/**
 * What a counter gained in the window. increase() only sees differences between samples, so a
 * series born inside the window (first scraped at its final value, as after a short burst of
 * traces) would count 0: such series, absent one window earlier, count their whole value.
 */
export function windowIncrease(selector: string, range: string): string {
  return `((increase(${selector}[${range}]) and max_over_time(${selector}[${range}] offset ${range})) or max_over_time(${selector}[${range}]))`;
}

function usageByModel(samples: Sample[]): Map<string, { provider: string; value: number }> {
  const out = new Map<string, { provider: string; value: number }>();
  for (const s of samples) {
    const model = s.metric.gen_ai_request_model ?? "";
    const found = out.get(model);
    if (found) found.value += s.value;
    else out.set(model, { provider: s.metric.gen_ai_provider_name ?? "", value: s.value });
  }
  return out;
}

const round = (n: number) => Math.round(n);
const finite = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : 0);
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function instantQuery(url: string, expr: string, at: Date): Promise<Sample[]> {
  const target = new URL("/api/v1/query", url);
  target.searchParams.set("query", expr);
  target.searchParams.set("time", (at.getTime() / 1000).toFixed(3));
  const { body } = await getJson(target, { system: "Prometheus", unreachableHint: PROMETHEUS_HINT, acceptStatus: [400, 422] });
  const response = body as { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  if (response?.status !== "success") {
    throw new SourceError(`Prometheus at ${target.origin} rejected a query: ${response?.error ?? "no status in the answer"}`);
  }
  if (response.data?.resultType !== "vector" || !Array.isArray(response.data.result)) {
    throw new SourceError(`Prometheus at ${target.origin} answered a query without a vector result`);
  }
  const samples: Sample[] = [];
  for (const r of response.data.result as { metric?: Record<string, string>; value?: [number, string] }[]) {
    const value = Number(r.value?.[1]);
    if (r.metric !== undefined && Number.isFinite(value)) samples.push({ metric: r.metric, value });
  }
  return samples;
}
