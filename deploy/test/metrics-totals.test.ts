// Token, cost and call totals in Prometheus must add up over every export, not show the last
// batch: three app processes of one service run one after another (1, 2, 3 agent runs), and
// after each run Prometheus must hold the running totals (the sums were once per-batch deltas
// that the prometheus exporter replaced instead of adding up).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type RunningStack } from "../native/stack.ts";
import { promQuery, promValue } from "./helpers/query.ts";
import { agentOnStack } from "./helpers/stack-agent.ts";
import { skipStackTests, STACK_TEST_TIMEOUT_MS } from "./helpers/stack-guard.ts";

// Per agent run (deploy/test/app/agent.mjs): two llm_call spans, each 1200 in / 300 out tokens, 1.8 USD.
const CALLS_PER_RUN = 2;
const INPUT_PER_CALL = 1200;
const OUTPUT_PER_CALL = 300;
const COST_PER_CALL = 1.8;
const RUNS_PER_PROCESS = [1, 2, 3];

describe.skipIf(skipStackTests)("metric totals over several exports (collector → Prometheus)", () => {
  let stack: RunningStack | undefined;
  const model = `totals-model-${randomUUID().slice(0, 8)}`;
  const service = `jotty-totals-${randomUUID().slice(0, 8)}`;
  const calls = `sum(traces_span_metrics_calls_total{service_name="${service}", span_name="llm_call", gen_ai_request_model="${model}"})`;
  const durationCount = `sum(traces_span_metrics_duration_milliseconds_count{service_name="${service}", span_name="llm_call", gen_ai_request_model="${model}"})`;
  const inputTokens = `sum(llm_usage_input_tokens_total{gen_ai_request_model="${model}"})`;
  const outputTokens = `sum(llm_usage_output_tokens_total{gen_ai_request_model="${model}"})`;
  const cost = `sum(llm_usage_cost_total{gen_ai_request_model="${model}"})`;
  const runningTotals: number[] = [];

  beforeAll(async () => {
    stack = await startStack();
    let callsSoFar = 0;
    for (const runs of RUNS_PER_PROCESS) {
      const agent = agentOnStack(stack, service, model);
      try {
        await agent.ready();
        for (let i = 0; i < runs; i++) {
          await agent.run(`totals-${i}`);
          callsSoFar += CALLS_PER_RUN;
          // Each run is in Prometheus before the next one starts, so every run (within a process
          // and across processes) arrives in its own export, collector batch and scrape.
          await promValue(stack.prometheusUrl, inputTokens, callsSoFar * INPUT_PER_CALL);
          await promValue(stack.prometheusUrl, durationCount, callsSoFar);
          runningTotals.push(callsSoFar);
        }
        const { stats, code } = await agent.exit();
        expect(code).toBe(0);
        expect(stats.stats.droppedSpans).toBe(0);
      } finally {
        agent.kill();
      }
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(
    "token and cost sums by model equal the totals over all processes",
    async () => {
      const prom = stack!.prometheusUrl;
      const total = runningTotals.at(-1)!;
      expect(runningTotals).toEqual([2, 4, 6, 8, 10, 12]);
      await promValue(prom, inputTokens, total * INPUT_PER_CALL);
      await promValue(prom, outputTokens, total * OUTPUT_PER_CALL);
      await promValue(prom, cost, total * COST_PER_CALL);
      // One series per model (and provider): the totals are not split over per-batch series.
      const series = await promQuery(prom, `llm_usage_input_tokens_total{gen_ai_request_model="${model}"}`);
      expect(series).toHaveLength(1);
      expect(series[0]!.metric).toMatchObject({ gen_ai_provider_name: "openai", job: service });
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "span-metrics calls for llm_call by model equal the number of calls over all processes",
    async () => {
      const prom = stack!.prometheusUrl;
      const total = runningTotals.at(-1)!;
      await promValue(prom, calls, total);
      await promValue(prom, durationCount, total);
      const [byModel] = await promQuery(
        prom,
        `sum by (gen_ai_request_model) (traces_span_metrics_calls_total{service_name="${service}", span_name="llm_call"})`,
      );
      expect(byModel).toEqual({ metric: { gen_ai_request_model: model }, value: total });
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "counters only grow between scrapes (no series went back to a smaller batch value)",
    async () => {
      const prom = stack!.prometheusUrl;
      for (const metric of ["llm_usage_input_tokens_total", "llm_usage_cost_total", "traces_span_metrics_calls_total"]) {
        const [resets] = await promQuery(prom, `sum(resets(${metric}{gen_ai_request_model="${model}"}[10m]))`);
        expect(resets?.value, `${metric} resets`).toBe(0);
      }
    },
    STACK_TEST_TIMEOUT_MS,
  );
});
