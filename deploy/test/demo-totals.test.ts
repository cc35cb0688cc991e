// After one `pnpm demo` run over OTLP to the native stack, Prometheus' figures equal the run's
// traces from the first batch on: increase() of every span-metrics and llm_usage_* series, the
// README's cost query, and every recording rule (a number, never NaN, and the rule's expression
// equal to the traces). Before created timestamps reached Prometheus, a series' first batch was
// invisible to increase()/rate(): the cost query read $0 for gpt-4.1 after a demo run. Every
// query is `anchored` (Prometheus 3.16): no extrapolation, so the totals are exact at any time
// after the run, not only at the last scrape (plain increase() read 13.7 % high between scrapes).
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deployDir } from "../native/binaries.ts";
import { startStack, type RunningStack } from "../native/stack.ts";
import { runDemo } from "./helpers/demo-run.ts";
import { poll, promQuery, type PromSample, type StoredSpan } from "./helpers/query.ts";
import { skipStackTests, STACK_TEST_TIMEOUT_MS } from "./helpers/stack-guard.ts";

const README_COST_QUERY = "sum by (gen_ai_request_model) (increase(llm_usage_cost_total[1h] anchored))";
const LLM_OPERATIONS = new Set(["chat", "text_completion", "generate_content", "embeddings"]);
// deploy/otel-collector/config.yaml span_metrics buckets, in ms.
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 20000, 30000, 60000, 120000, Infinity];

interface Rule {
  record: string;
  expr: string;
}
const rules = (parse(readFileSync(join(deployDir, "prometheus", "rules.yml"), "utf8")) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

const isError = (s: StoredSpan): boolean => s.statusCode === 2 || s.statusCode === "STATUS_CODE_ERROR";
const isLlm = (s: StoredSpan): boolean => LLM_OPERATIONS.has(String(s.attributes["gen_ai.operation.name"]));
const stepOf = (s: StoredSpan): string => String(s.attributes["jotty.step.name"] ?? "");

function sumBy(spans: StoredSpan[], key: (s: StoredSpan) => string, value: (s: StoredSpan) => number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const span of spans) totals.set(key(span), (totals.get(key(span)) ?? 0) + value(span));
  return totals;
}

function byLabel(samples: PromSample[], label: string): Map<string, number> {
  return new Map(samples.map((s) => [s.metric[label] ?? "", s.value]));
}

/** Equal within 1 % (cost, durations) or one float rounding (token and call counts). */
function expectClose(actual: Map<string, number>, expected: Map<string, number>, what: string): void {
  expect([...actual.keys()].sort(), what).toEqual([...expected.keys()].sort());
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    expect(Number.isFinite(got), `${what} ${key} is ${got}`).toBe(true);
    expect(Math.abs(got - want), `${what} ${key}: ${got} vs ${want}`).toBeLessThanOrEqual(Math.max(1e-9, Math.abs(want) * 0.01));
  }
}

/** The bucket [lower, upper] that holds the 95th percentile of these durations (histogram_quantile's answer lies in it). */
function p95Bucket(durations: number[]): [number, number] {
  const rank = 0.95 * durations.length;
  let lower = 0;
  for (const upper of BUCKETS_MS) {
    if (durations.filter((d) => d <= upper).length >= rank) return [lower, upper];
    lower = upper;
  }
  return [lower, Infinity];
}

describe("the queries", () => {
  it("the README shows the cost query checked below, and every recording rule's range is anchored", () => {
    expect(readFileSync(join(deployDir, "..", "README.md"), "utf8")).toContain(README_COST_QUERY);
    for (const rule of rules) expect(rule.expr, rule.record).not.toMatch(/\[\d+[smh]\](?! anchored)/);
  });
});

describe.skipIf(skipStackTests)("one demo run: Prometheus totals equal the traces, first batch included", () => {
  let stack: RunningStack | undefined;
  let dir: string | undefined;
  let spans: StoredSpan[] = [];
  let at = 0;
  const service = `jotty-demo-totals-${randomUUID().slice(0, 8)}`;
  const query = (q: string): Promise<PromSample[]> => promQuery(stack!.prometheusUrl, q, at);

  beforeAll(async () => {
    stack = await startStack();
    dir = mkdtempSync(join(tmpdir(), "jotty-demo-totals-"));
    ({ spans } = await runDemo(stack.otlpHttpUrl, service, dir));
    spans = spans.filter((s) => s.serviceName === service);
    expect(spans.length).toBeGreaterThan(20);
    // Everything the run exported has been scraped: the span-metrics calls add up to every span
    // and the token sums to every LLM call's tokens. Then all queries run at that scrape's time,
    // so no query extrapolates past the last sample.
    const inputTokens = spans.reduce((sum, s) => sum + Number(s.attributes["gen_ai.usage.input_tokens"] ?? 0), 0);
    at = await poll("the demo's spans and tokens in Prometheus", 60_000, async () => {
      const [calls] = await promQuery(stack!.prometheusUrl, `sum(traces_span_metrics_calls_total{service_name="${service}"})`);
      const [tokens] = await promQuery(stack!.prometheusUrl, `sum(llm_usage_input_tokens_total{job="${service}"})`);
      if (calls?.value !== spans.length || tokens?.value !== inputTokens) return undefined;
      const [stamp] = await promQuery(stack!.prometheusUrl, `max(timestamp(llm_usage_input_tokens_total{job="${service}"}))`);
      return stamp?.value;
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    "sum(increase(llm_usage_cost_total[1h] anchored)) equals the traces' cost within 1 %, whenever it is asked",
    async () => {
      const cost = spans.reduce((sum, s) => sum + Number(s.attributes["gen_ai.usage.cost"] ?? 0), 0);
      expect(cost).toBeGreaterThan(0);
      const total = `sum(increase(llm_usage_cost_total{job="${service}"}[1h] anchored))`;
      // At the last scrape, between scrapes (a 5 s interval), and now: with no extrapolation they all agree.
      const now = Date.now() / 1000;
      for (const time of [at, at + 1.3, at + 2.5, at + 3.7, Math.max(now, at + 6)]) {
        const [sample] = await promQuery(stack!.prometheusUrl, total, time);
        expect(sample, `at ${time}`).toBeDefined();
        expect(Math.abs(sample!.value - cost), `at ${time - at} s after the last scrape: ${sample!.value} vs ${cost}`).toBeLessThanOrEqual(cost * 0.01);
      }
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "the README's cost query equals the traces' cost by model",
    async () => {
      const llm = spans.filter((s) => s.attributes["gen_ai.usage.cost"] !== undefined);
      const expected = sumBy(
        llm,
        (s) => String(s.attributes["gen_ai.request.model"]),
        (s) => Number(s.attributes["gen_ai.usage.cost"]),
      );
      expect(expected.size).toBeGreaterThanOrEqual(2);
      expectClose(byLabel(await query(README_COST_QUERY), "gen_ai_request_model"), expected, "cost");
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "increase() of the token sums equals the traces' tokens by model",
    async () => {
      for (const [metric, attribute] of [
        ["llm_usage_input_tokens_total", "gen_ai.usage.input_tokens"],
        ["llm_usage_output_tokens_total", "gen_ai.usage.output_tokens"],
      ] as const) {
        const withTokens = spans.filter((s) => s.attributes[attribute] !== undefined);
        const expected = sumBy(
          withTokens,
          (s) => String(s.attributes["gen_ai.request.model"]),
          (s) => Number(s.attributes[attribute]),
        );
        const actual = await query(`sum by (gen_ai_request_model) (increase(${metric}{job="${service}"}[1h] anchored))`);
        expectClose(byLabel(actual, "gen_ai_request_model"), expected, metric);
      }
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "increase() of span-metrics calls, duration counts and sums equals the traces by span name",
    async () => {
      const counts = sumBy(
        spans,
        (s) => s.name,
        () => 1,
      );
      const selector = `{service_name="${service}"}[1h] anchored`;
      const increase = async (metric: string): Promise<Map<string, number>> =>
        byLabel(await query(`sum by (span_name) (increase(${metric}${selector}))`), "span_name");
      expectClose(await increase("traces_span_metrics_calls_total"), counts, "calls");
      expectClose(await increase("traces_span_metrics_duration_milliseconds_count"), counts, "duration count");
      const inf = byLabel(
        await query(`sum by (span_name) (increase(traces_span_metrics_duration_milliseconds_bucket{service_name="${service}", le="+Inf"}[1h] anchored))`),
        "span_name",
      );
      expectClose(inf, counts, "duration +Inf bucket");
      expectClose(
        await increase("traces_span_metrics_duration_milliseconds_sum"),
        sumBy(
          spans,
          (s) => s.name,
          (s) => s.durationMs,
        ),
        "duration sum",
      );
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "every recording rule holds a number, and its expression equals the traces",
    async () => {
      const llm = spans.filter(isLlm);
      const steps = spans.filter((s) => stepOf(s) !== "");
      const model = (s: StoredSpan): string => String(s.attributes["gen_ai.request.model"]);
      const perHour = (m: Map<string, number>): Map<string, number> => new Map([...m].map(([k, v]) => [k, v / 3600]));
      const nonEmpty = (m: Map<string, number>): Map<string, number> => new Map([...m].filter(([, v]) => v > 0));
      const expected: Record<string, { label: string; values: Map<string, number> } | { label: string; p95Of: Map<string, number[]> }> = {
        "jotty:llm_calls:rate5m": { label: "gen_ai_request_model", values: perHour(sumBy(llm, model, () => 1)) },
        "jotty:llm_errors:rate5m": { label: "gen_ai_request_model", values: perHour(nonEmpty(sumBy(llm.filter(isError), model, () => 1))) },
        "jotty:llm_duration_ms:p95_5m": { label: "gen_ai_request_model", p95Of: groupDurations(llm, model) },
        "jotty:llm_input_tokens:rate5m": {
          label: "gen_ai_request_model",
          values: perHour(sumBy(llm, model, (s) => Number(s.attributes["gen_ai.usage.input_tokens"] ?? 0))),
        },
        "jotty:llm_output_tokens:rate5m": {
          label: "gen_ai_request_model",
          values: perHour(sumBy(llm, model, (s) => Number(s.attributes["gen_ai.usage.output_tokens"] ?? 0))),
        },
        "jotty:llm_cost_usd:rate5m": {
          label: "gen_ai_request_model",
          values: perHour(sumBy(llm, model, (s) => Number(s.attributes["gen_ai.usage.cost"] ?? 0))),
        },
        "jotty:llm_cost_usd:increase1h": { label: "gen_ai_request_model", values: sumBy(llm, model, (s) => Number(s.attributes["gen_ai.usage.cost"] ?? 0)) },
        "jotty:step_duration_ms:mean5m": { label: "jotty_step_name", values: meanBy(steps, stepOf) },
        "jotty:step_duration_ms:p95_5m": { label: "jotty_step_name", p95Of: groupDurations(steps, stepOf) },
        "jotty:step_errors:rate5m": { label: "jotty_step_name", values: perHour(nonEmpty(sumBy(steps.filter(isError), stepOf, () => 1))) },
      };
      expect(Object.keys(expected).sort()).toEqual(rules.map((r) => r.record).sort());

      for (const rule of rules) {
        const want = expected[rule.record]!;
        const wantKeys = "values" in want ? [...want.values.keys()] : [...want.p95Of.keys()];
        // The stored rule: one number per group, none NaN (it is evaluated every second).
        const stored = await poll(`${rule.record} for every group`, 30_000, async () => {
          const samples = await promQuery(stack!.prometheusUrl, rule.record);
          return samples.length >= wantKeys.length ? samples : undefined;
        });
        for (const sample of stored) expect(Number.isNaN(sample.value), `${rule.record} ${JSON.stringify(sample.metric)}`).toBe(false);
        // The expression at the last scrape, over 1h instead of 5m so the window surely holds the
        // whole run (a loaded machine may take longer than 5 minutes to get here).
        const actual = byLabel(await query(rule.expr.replaceAll("[5m]", "[1h]")), want.label);
        if ("values" in want) {
          expectClose(actual, want.values, rule.record);
        } else {
          expect([...actual.keys()].sort(), rule.record).toEqual(wantKeys.sort());
          for (const [key, durations] of want.p95Of) {
            const [lower, upper] = p95Bucket(durations);
            const got = actual.get(key)!;
            expect(got, `${rule.record} ${key}`).toBeGreaterThanOrEqual(lower);
            expect(got, `${rule.record} ${key}`).toBeLessThanOrEqual(upper);
          }
        }
      }
    },
    4 * STACK_TEST_TIMEOUT_MS,
  );
});

function groupDurations(spans: StoredSpan[], key: (s: StoredSpan) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const span of spans) groups.set(key(span), [...(groups.get(key(span)) ?? []), span.durationMs]);
  return groups;
}

function meanBy(spans: StoredSpan[], key: (s: StoredSpan) => string): Map<string, number> {
  const sums = sumBy(spans, key, (s) => s.durationMs);
  const counts = sumBy(spans, key, () => 1);
  return new Map([...sums].map(([k, v]) => [k, v / counts.get(k)!]));
}
