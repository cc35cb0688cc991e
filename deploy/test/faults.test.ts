// Faults: the collector goes away under load and comes back; the app starts with no collector.
// The app must keep working with bounded memory, report drops once (a warning and a counter),
// and deliver spans again after the restart.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../native/free-port.ts";
import { startStack, type RunningStack } from "../native/stack.ts";
import { AgentProcess, type AgentStats } from "./helpers/agent-process.ts";
import { jaegerTrace, poll, promQuery } from "./helpers/query.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const WARNING = /^@jotty\/otel: cannot export spans to /;
const RECOVERED = /^@jotty\/otel: span export to .* recovered/;
const MiB = 1024 * 1024;

const agents: AgentProcess[] = [];
function startAgent(env: Record<string, string>): AgentProcess {
  const agent = new AgentProcess(env);
  agents.push(agent);
  return agent;
}
afterEach(() => {
  for (const agent of agents.splice(0)) agent.kill();
});

describe.skipIf(skipStackTests)("collector stopped under load, then restarted", () => {
  let stack: RunningStack | undefined;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("keeps the app working, bounds memory, warns once, counts drops, delivers after restart", async () => {
    const service = `jotty-fault-${randomUUID().slice(0, 8)}`;
    const agent = startAgent({
      OTEL_EXPORTER_OTLP_ENDPOINT: stack!.otlpHttpUrl,
      OTEL_SERVICE_NAME: service,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_EXPORTER_OTLP_TIMEOUT: "2000",
      // The drop counter travels as an OTLP metric to the collector and on to Prometheus.
      OTEL_METRICS_EXPORTER: "otlp",
      OTEL_METRIC_EXPORT_INTERVAL: "500",
      E2E_MODEL: "fault-model",
    });
    await agent.ready();
    await agent.load(true);
    const warm = await poll("spans exported before the outage", 30_000, async () => {
      const s = await agent.stats();
      return s.stats.exportedSpans >= 500 ? s : undefined;
    });
    expect(warm.stats.droppedSpans).toBe(0);

    await stack!.stopCollector();
    // Outage: keep the load on until the app has made 600 more runs (3,600 spans, more than the
    // 2,048-span queue), sampling memory as it goes.
    const samples: AgentStats[] = [];
    const end = await poll("600 runs during the outage", 60_000, async () => {
      const s = await agent.stats();
      samples.push(s);
      return s.runsDone - warm.runsDone >= 600 && s.stats.droppedSpans > 0 ? s : undefined;
    });
    expect(end.errors).toBe(0);
    expect(end.stats.failedExports).toBeGreaterThan(0);
    expect(end.stats.droppedSpans).toBeGreaterThan(0);
    const peakHeap = Math.max(...samples.map((s) => s.heapUsed));
    expect(peakHeap - warm.heapUsed, "heap growth during the outage").toBeLessThan(64 * MiB);
    expect(agent.stderrLines(WARNING), agent.stderr).toHaveLength(1);

    await stack!.startCollector();
    await poll("export recovery", 30_000, async () => (agent.stderrLines(RECOVERED).length > 0 ? true : undefined));
    await agent.load(false);
    const marker = await agent.run("after-restart");
    const { stats: final, code } = await agent.exit();
    expect(code).toBe(0);
    expect(final.errors).toBe(0);
    expect(agent.stderrLines(WARNING), "still one warning for the whole outage").toHaveLength(1);
    expect(final.stats.exportedSpans).toBeGreaterThan(end.stats.exportedSpans);

    const spans = await jaegerTrace(stack!.jaegerUrl, marker, 6);
    expect(spans.map((s) => s.name).sort()).toEqual(["agent_run", "llm_call", "llm_call", "plan", "research", "search_docs"]);

    const dropped = await poll("jotty_otel_dropped_spans_total in Prometheus", 30_000, async () => {
      const series = await promQuery(stack!.prometheusUrl, `jotty_otel_dropped_spans_total{job="${service}"}`);
      return series.length === 1 && series[0]!.value > 0 ? series[0] : undefined;
    });
    expect(dropped.value).toBeLessThanOrEqual(final.stats.droppedSpans);
  }, 180_000);
});

describe("app started while no collector runs", () => {
  it("works, warns once, counts the spans it could not deliver", async () => {
    const [port] = await freePorts(1);
    const agent = startAgent({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_BSP_SCHEDULE_DELAY: "50",
      E2E_MODEL: "no-collector-model",
    });
    await agent.ready();
    const traceIds = [await agent.run(), await agent.run(), await agent.run()];
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    const { stats, code } = await agent.exit();
    expect(code).toBe(0);
    expect(stats.errors).toBe(0);
    expect(stats.stats.exportedSpans).toBe(0);
    expect(stats.stats.droppedSpans).toBe(18);
    const warnings = agent.stderrLines(WARNING);
    expect(warnings, agent.stderr).toHaveLength(1);
    expect(warnings[0]).toContain(`127.0.0.1:${port}`);
  }, 60_000);
});
