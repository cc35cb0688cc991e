// An app run with `--import @jotty/otel/register` exports to the real collector; the trace shows
// up in Jaeger (/api/v3 and the UI's search API) with its structure and GenAI attributes, and
// Prometheus holds the span metrics and the token and cost sums by model.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type RunningStack } from "../native/stack.ts";
import type { AgentProcess } from "./helpers/agent-process.ts";
import { jaegerTrace, poll, promQuery, promValue, type StoredSpan } from "./helpers/query.ts";
import { agentOnStack } from "./helpers/stack-agent.ts";
import { skipStackTests, STACK_TEST_TIMEOUT_MS } from "./helpers/stack-guard.ts";

const CLIENT_KINDS = [3, "SPAN_KIND_CLIENT"];

describe.skipIf(skipStackTests)("end to end: @jotty/otel/register → collector → Jaeger + Prometheus", () => {
  let stack: RunningStack | undefined;
  let agent: AgentProcess | undefined;
  const model = `e2e-model-${randomUUID().slice(0, 8)}`;
  const service = `jotty-e2e-${randomUUID().slice(0, 8)}`;
  const traceIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    agent = agentOnStack(stack, service, model);
    await agent.ready();
    traceIds.push(await agent.run("first"), await agent.run("second"));
    const { stats, code } = await agent.exit();
    expect(code).toBe(0);
    expect(stats.errors).toBe(0);
    expect(stats.stats.droppedSpans).toBe(0);
    expect(stats.stats.exportedSpans).toBe(12);
    expect(agent.stderrLines(/@jotty\/otel/)).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    agent?.kill();
    await stack?.stop();
  });

  it(
    "keeps the parent/child structure and GenAI attributes (Jaeger /api/v3/traces)",
    async () => {
      const spans = await jaegerTrace(stack!.jaegerUrl, traceIds[0]!, 6);
      expect(spans).toHaveLength(6);
      const named = (name: string): StoredSpan[] => spans.filter((s) => s.name === name);
      const [root] = named("agent_run");
      const [plan] = named("plan");
      const [research] = named("research");
      const [search] = named("search_docs");
      expect(root!.parentSpanId).toBe("");
      expect(root!.serviceName).toBe(service);
      expect(plan!.parentSpanId).toBe(root!.spanId);
      expect(research!.parentSpanId).toBe(root!.spanId);
      expect(research!.attributes["jotty.step.name"]).toBe("research");
      expect(search!.parentSpanId).toBe(research!.spanId);

      const llm = named("llm_call");
      expect(llm.map((s) => s.parentSpanId).sort()).toEqual([plan!.spanId, research!.spanId].sort());
      for (const call of llm) {
        expect(CLIENT_KINDS).toContain(call.kind);
        expect(call.attributes).toMatchObject({
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": model,
          "gen_ai.response.model": model,
          "gen_ai.response.id": "chatcmpl-e2e",
          "gen_ai.usage.input_tokens": 1200,
          "gen_ai.usage.output_tokens": 300,
          "server.address": "127.0.0.1",
        });
        expect(call.attributes["gen_ai.usage.cost"]).toBeCloseTo(1.8, 9);
      }
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "finds the runs as the README says: service, operation llm_call, tag gen_ai.request.model",
    async () => {
      // The Jaeger UI's search calls this API; /api/v3 search has no tag filter.
      const tags = encodeURIComponent(JSON.stringify({ "gen_ai.request.model": model }));
      const url = `${stack!.jaegerUrl}/api/traces?service=${service}&operation=llm_call&tags=${tags}&lookback=1h&limit=20`;
      const found = await poll("both traces in Jaeger search", 30_000, async () => {
        const body = (await (await fetch(url)).json()) as { data: { traceID: string }[] };
        const ids = body.data.map((t) => t.traceID).sort();
        return ids.length === 2 ? ids : undefined;
      });
      expect(found).toEqual([...traceIds].sort());
      const services = (await (await fetch(`${stack!.jaegerUrl}/api/v3/services`)).json()) as { services: string[] };
      expect(services.services).toContain(service);
      expect(services.services, "Jaeger must not trace itself into the stack").not.toContain("jaeger");
      const other = encodeURIComponent(JSON.stringify({ "gen_ai.request.model": "some-other-model" }));
      const none = (await (await fetch(url.replace(tags, other))).json()) as { data: unknown[] };
      expect(none.data).toEqual([]);
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "Prometheus has span metrics for llm_call and token/cost sums by model",
    async () => {
      const prom = stack!.prometheusUrl;
      const calls = await promValue(
        prom,
        `sum by (gen_ai_operation_name) (traces_span_metrics_calls_total{service_name="${service}", span_name="llm_call", gen_ai_request_model="${model}"})`,
        4,
      );
      expect(calls.metric.gen_ai_operation_name).toBe("chat");
      await promValue(prom, `sum(traces_span_metrics_duration_milliseconds_count{service_name="${service}", span_name="llm_call"})`, 4);
      await promValue(prom, `sum(traces_span_metrics_calls_total{service_name="${service}", jotty_step_name="research"})`, 2);
      await promValue(prom, `sum(llm_usage_input_tokens_total{gen_ai_request_model="${model}"})`, 4 * 1200);
      await promValue(prom, `sum(llm_usage_output_tokens_total{gen_ai_request_model="${model}"})`, 4 * 300);
      await promValue(prom, `sum(llm_usage_cost_total{gen_ai_request_model="${model}"})`, 4 * 1.8);
      const [byModel] = await promQuery(prom, `llm_usage_input_tokens_total{gen_ai_request_model="${model}"}`);
      expect(byModel!.metric).toMatchObject({ gen_ai_provider_name: "openai", job: service });
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "Jaeger's Monitor tab (SPM) reads the span metrics from Prometheus",
    async () => {
      const url = () =>
        `${stack!.jaegerUrl}/api/metrics/calls?service=${service}&groupByOperation=true&endTs=${Date.now()}` +
        `&lookback=600000&step=1000&ratePer=60000&spanKind=client&spanKind=internal`;
      const operations = await poll("llm_call in Jaeger's SPM API", 30_000, async () => {
        const body = (await (await fetch(url())).json()) as { metrics?: { labels: { name: string; value: string }[] }[] };
        const names = (body.metrics ?? []).flatMap((m) => m.labels.filter((l) => l.name === "operation").map((l) => l.value));
        return names.includes("llm_call") ? names : undefined;
      });
      expect(operations).toEqual(expect.arrayContaining(["llm_call", "agent_run", "research"]));
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    "the recording rules evaluate and produce per-model series",
    async () => {
      const prom = stack!.prometheusUrl;
      // A counter that starts at its final value has rate 0 (Prometheus saw no increase), so this
      // checks that each rule yields the model's series, not its size.
      for (const rule of ["jotty:llm_calls:rate5m", "jotty:llm_input_tokens:rate5m", "jotty:llm_cost_usd:increase1h"]) {
        await poll(`${rule} for ${model}`, 20_000, async () => {
          const series = await promQuery(prom, `${rule}{gen_ai_request_model="${model}"}`);
          return series.length === 1 && Number.isFinite(series[0]!.value) ? series : undefined;
        });
      }
      const body = (await (await fetch(`${prom}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
      };
      const rules = body.data.groups.flatMap((g) => g.rules);
      expect(rules.length).toBeGreaterThanOrEqual(10);
      expect(rules.filter((r) => r.health !== "ok")).toEqual([]);
    },
    STACK_TEST_TIMEOUT_MS,
  );
});
