// The aggregate report from span-metric samples (prometheus-queries.ts). Counts, totals, tokens
// and cost are counter increases over the window; anything that needs the span tree is absent
// and a warning says so.
import { impactOf, BOTTLENECK_MIN_SHARE, DEFAULT_TOP } from "@jotty/engine/engine";
import type { Report } from "@jotty/engine";
import { withoutCredentials } from "./credentials.js";
import { SPAN_CALLS, type PrometheusOptions, type Sample, type SpanMetricSamples } from "./prometheus-queries.js";

type Operation = { name: string; count: number; totalMs: number; p50Ms: number; p95Ms: number; errors: number };

export function reportFromSpanMetrics(samples: SpanMetricSamples, options: PrometheusOptions): Report {
  const operations = operationsOf(samples);
  // Without trace trees there is no wall time; shares are of the operation with the most total
  // time, normally the root of every trace (e.g. invoke_workflow).
  const base = operations[0];
  const baseMs = base?.totalMs ?? 0;
  const share = (ms: number) => (baseMs > 0 ? ms / baseMs : 0);
  const byModel = modelsOf(samples);
  const llmTotalMs = samples.llmMs.reduce((a, s) => a + s.value, 0);
  const steps = stepsOf(samples, share);

  const timeDistribution = [
    ...(llmTotalMs > 0 ? [{ component: "LLM calls", ms: llmTotalMs, share: share(llmTotalMs) }] : []),
    ...steps.map((s) => ({ component: `step ${s.name}`, ms: s.meanMs * s.count, share: s.share })),
  ];
  const bottlenecks = timeDistribution
    .map((part) => ({ name: part.component, share: part.share }))
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
  const refused = samples.refused.warning();
  return {
    schemaVersion: 1,
    source: { kind: "prometheus", location: withoutCredentials(options.url) },
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
    operations: operations.slice(0, top).map((o) => ({ ...o, selfMs: 0, selfShare: 0, criticalMs: 0, criticalShare: 0, maxMs: 0 })),
    steps,
    runs: runsOf(operations),
    bottlenecks: bottlenecks.slice(0, top),
    recommendations: [],
    slowestTraces: [],
    warnings: [
      ...(totalSpans === 0
        ? [`Prometheus has no span metrics (${SPAN_CALLS}) in this window; is the collector's spanmetrics connector scraped?`]
        : [
            `Aggregates from Prometheus span metrics: span counts, errors, summed durations, LLM calls, tokens and cost are exact counter increases over the window (series older than the window are extrapolated at its edges by Prometheus); p50/p95 are estimated from histogram buckets; shares are of ${base?.name}'s total time.`,
            "Needs trace detail (--source jaeger or --file): traces, wall time, runs without an invoke_workflow span, self time, critical path, the union of LLM time, step positions and input tokens, timeouts, retries, cached tokens, max durations, recommendations and slowest traces.",
          ]),
      ...(refused !== undefined ? [refused] : []),
    ],
  };
}

function operationsOf(s: SpanMetricSamples): Operation[] {
  const errorsBy = byLabel(s.errors, "span_name");
  const msBy = byLabel(s.durations, "span_name");
  const p50By = byLabel(s.p50, "span_name");
  const p95By = byLabel(s.p95, "span_name");
  return s.calls
    .map((c) => {
      const name = c.metric.span_name ?? "";
      return {
        name,
        count: round(c.value),
        totalMs: msBy.get(name) ?? 0,
        p50Ms: finite(p50By.get(name)),
        p95Ms: finite(p95By.get(name)),
        errors: round(errorsBy.get(name) ?? 0),
      };
    })
    .filter((o) => o.count > 0)
    .sort((a, b) => b.totalMs - a.totalMs);
}

function modelsOf(s: SpanMetricSamples): Report["llm"]["byModel"] {
  const p50By = byLabel(s.llmP50, "gen_ai_request_model");
  const p95By = byLabel(s.llmP95, "gen_ai_request_model");
  const callsBy = byLabel(s.llmCalls, "gen_ai_request_model");
  const tokensIn = usageByModel(s.inputTokens);
  const tokensOut = usageByModel(s.outputTokens);
  const costs = usageByModel(s.cost);
  const models = new Set([...callsBy.keys(), ...tokensIn.keys(), ...costs.keys()]);
  const byModel = [...models].map((model) => ({
    provider: tokensIn.get(model)?.provider ?? costs.get(model)?.provider ?? tokensOut.get(model)?.provider ?? "",
    model,
    calls: round(callsBy.get(model) ?? 0),
    inputTokens: round(tokensIn.get(model)?.value ?? 0),
    outputTokens: round(tokensOut.get(model)?.value ?? 0),
    cacheReadTokens: 0, // not summed by the collector
    costUsd: costs.get(model)?.value ?? 0,
    p50Ms: finite(p50By.get(model)),
    p95Ms: finite(p95By.get(model)),
  }));
  return byModel.sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
}

function stepsOf(s: SpanMetricSamples, share: (ms: number) => number): Report["steps"] {
  const msBy = byLabel(s.stepMs, "jotty_step_name");
  const p95By = byLabel(s.stepP95, "jotty_step_name");
  const errorsBy = byLabel(s.stepErrors, "jotty_step_name");
  return s.stepCalls
    .filter((c) => c.value > 0)
    .map((c) => {
      const name = c.metric.jotty_step_name ?? "";
      const totalMs = msBy.get(name) ?? 0;
      return {
        name,
        position: 0, // step order is a span attribute, not a metric dimension
        count: round(c.value),
        meanMs: totalMs / c.value,
        p95Ms: finite(p95By.get(name)),
        share: share(totalMs),
        meanInputTokens: 0,
        timeouts: 0,
        retries: 0,
        failures: round(errorsBy.get(name) ?? 0),
      };
    })
    .sort((a, b) => b.share - a.share);
}

/** Runs are invoke_workflow spans; a run failed when its span has ERROR status. */
function runsOf(operations: Operation[]): Report["runs"] {
  const workflows = operations.filter((o) => o.name.startsWith("invoke_workflow"));
  const count = workflows.reduce((a, o) => a + o.count, 0);
  const succeeded = count - workflows.reduce((a, o) => a + o.errors, 0);
  return { count, succeeded, successRate: count > 0 ? succeeded / count : 0 };
}

function byLabel(samples: Sample[], label: string): Map<string, number> {
  return new Map(samples.map((s) => [s.metric[label] ?? "", s.value]));
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
