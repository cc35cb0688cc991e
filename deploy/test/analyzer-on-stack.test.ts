// The product path end to end: an instrumented run → native collector → Jaeger and Prometheus →
// `jotty-analyze` (the built CLI) reading both, as the README's stack section promises.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoDir } from "../native/binaries.ts";
import { startStack, type RunningStack } from "../native/stack.ts";
import { AgentProcess } from "./helpers/agent-process.ts";
import { jaegerTrace, promValue } from "./helpers/query.ts";
import { skipStackTests, STACK_TEST_TIMEOUT_MS } from "./helpers/stack-guard.ts";

interface ReportJson {
  traces: number;
  spans: number;
  llm: { calls: number; inputTokens: number; outputTokens: number; costUsd: number; byModel: { provider: string; model: string; calls: number }[] };
  steps: { name: string; count: number }[];
}

async function analyze(...args: string[]): Promise<ReportJson> {
  const cli = join(repoDir, "packages", "analyzer", "dist", "cli.js");
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args, "--since", "10m", "--format", "json"], { cwd: repoDir });
  return JSON.parse(stdout) as ReportJson;
}

describe.skipIf(skipStackTests)("jotty-analyze on the native stack", () => {
  let stack: RunningStack | undefined;
  const model = `analyze-model-${randomUUID().slice(0, 8)}`;
  const service = `jotty-analyze-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await startStack();
    const agent = new AgentProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl,
      OTEL_SERVICE_NAME: service,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      E2E_MODEL: model,
    });
    try {
      await agent.ready();
      const traceIds = [await agent.run(), await agent.run()];
      expect((await agent.exit()).code).toBe(0);
      for (const id of traceIds) await jaegerTrace(stack.jaegerUrl, id, 6);
    } finally {
      agent.kill();
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("--source jaeger reports the runs, LLM calls, tokens and cost", async () => {
    const report = await analyze("--source", "jaeger", "--jaeger", stack!.jaegerUrl, "--service", service);
    expect(report.traces).toBe(2);
    expect(report.spans).toBe(12);
    expect(report.llm).toMatchObject({ calls: 4, inputTokens: 4800, outputTokens: 1200 });
    expect(report.llm.costUsd).toBeCloseTo(7.2, 6);
    expect(report.llm.byModel).toEqual([expect.objectContaining({ provider: "openai", model, calls: 4 })]);
    expect(report.steps).toEqual([expect.objectContaining({ name: "research", count: 2 })]);
  }, STACK_TEST_TIMEOUT_MS);

  it("--source prometheus reports the same LLM totals from the span metrics", async () => {
    const prom = stack!.prometheusUrl;
    await promValue(prom, `sum(traces_span_metrics_calls_total{service_name="${service}", span_name="llm_call"})`, 4);
    await promValue(prom, `sum(llm_usage_cost_total{gen_ai_request_model="${model}"})`, 7.2);
    const report = await analyze("--source", "prometheus", "--prometheus", prom, "--service", service);
    expect(report.llm).toMatchObject({ calls: 4, inputTokens: 4800, outputTokens: 1200 });
    expect(report.llm.costUsd).toBeCloseTo(7.2, 6);
    expect(report.llm.byModel).toEqual([expect.objectContaining({ provider: "openai", model, calls: 4 })]);
  }, STACK_TEST_TIMEOUT_MS);
});
