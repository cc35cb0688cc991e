// The product path end to end on the native stack: agent runs through @jotty/otel → Collector →
// Jaeger and Prometheus, then `jotty-analyze` (the built bin, as a child process) finds them all
// (as the README's stack section promises) — through Jaeger with a page size smaller than the
// window holds, so the window must split, and through Prometheus' span metrics.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type RunningStack } from "../native/stack.ts";
import { runAnalyzer } from "./helpers/analyze.ts";
import { poll } from "./helpers/query.ts";
import { agentOnStack } from "./helpers/stack-agent.ts";
import { skipStackTests, STACK_TEST_TIMEOUT_MS } from "./helpers/stack-guard.ts";

const RUNS = 12; // each run: agent_run, plan, research, search_docs and two llm_call spans
const SPANS_PER_RUN = 6;

describe.skipIf(skipStackTests)("jotty-analyze against the native stack", () => {
  let stack: RunningStack | undefined;
  const service = `jotty-analyze-e2e-${randomUUID().slice(0, 8)}`;
  const model = `analyze-e2e-${randomUUID().slice(0, 8)}`;
  const traceIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    const agent = agentOnStack(stack, service, model);
    try {
      await agent.ready();
      for (let i = 0; i < RUNS; i++) traceIds.push(await agent.run(`run-${i}`));
      const { code, stats } = await agent.exit();
      expect(code).toBe(0);
      expect(stats.stats.exportedSpans).toBe(RUNS * SPANS_PER_RUN);
    } finally {
      agent.kill();
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const analyze = async (args: string[]) => {
    const run = await runAnalyzer([...args, "--since", "5m", "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  };

  it(
    "--source jaeger finds every trace, though one query may return only 5",
    async () => {
      // Jaeger stores spans asynchronously after the collector forwards them: wait until all are there.
      const report = await poll(`${RUNS} traces of ${service} in Jaeger`, 60_000, async () => {
        const r = await analyze(["--source", "jaeger", "--jaeger", stack!.jaegerUrl, "--service", service, "--page-size", "5"]);
        return r.spans === RUNS * SPANS_PER_RUN ? r : undefined;
      });
      expect(report.traces).toBe(RUNS);
      expect(report.spans).toBe(RUNS * SPANS_PER_RUN);
      expect(report.source).toEqual({ kind: "jaeger", location: stack!.jaegerUrl });
      // Jaeger does cut a query at query.num_traces, so reading all 12 needed the split windows.
      const url = new URL("/api/v3/traces", stack!.jaegerUrl);
      url.searchParams.set("query.service_name", service);
      url.searchParams.set("query.start_time_min", new Date(Date.now() - 600_000).toISOString());
      url.searchParams.set("query.start_time_max", new Date().toISOString());
      url.searchParams.set("query.num_traces", "5");
      const one = (await (await fetch(url)).json()) as { result: { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] } };
      const ids = new Set(one.result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.traceId))));
      expect(ids.size).toBe(5);
      expect(report.slowestTraces.map((t: { traceId: string }) => t.traceId).every((id: string) => traceIds.includes(id))).toBe(true);
      expect(report.llm).toMatchObject({ calls: 2 * RUNS, inputTokens: 2 * RUNS * 1200, outputTokens: 2 * RUNS * 300 });
      expect(report.llm.costUsd).toBeCloseTo(2 * RUNS * 1.8, 6);
      expect(report.llm.byModel).toEqual([expect.objectContaining({ provider: "openai", model, calls: 2 * RUNS })]);
      expect(report.steps.map((s: { name: string; count: number }) => [s.name, s.count])).toEqual([["research", RUNS]]);
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it("every service (no --service) and the default page size read the same traces", async () => {
    const report = await analyze(["--source", "jaeger", "--jaeger", stack!.jaegerUrl]);
    expect(report.traces).toBe(RUNS);
    expect(report.spans).toBe(RUNS * SPANS_PER_RUN);
  });

  it(
    "Jaeger's gRPC api_v3 reads the same report as /api/v3, and alone: no HTTP needed",
    async () => {
      await poll(`${RUNS} traces of ${service} in Jaeger`, 60_000, async () => {
        const r = await analyze(["--source", "jaeger", "--jaeger", stack!.jaegerUrl, "--service", service]);
        return r.spans === RUNS * SPANS_PER_RUN ? r : undefined;
      });
      const grpc = `127.0.0.1:${stack!.ports.jaegerQueryGrpc}`;
      // Page size 5: the gRPC path too must split windows that come back full (Jaeger cuts at search_depth).
      const common = ["--source", "jaeger", "--service", service, "--page-size", "5"];
      const viaHttp = await analyze([...common, "--jaeger", stack!.jaegerUrl, "--jaeger-grpc", "off"]);
      const viaGrpc = await analyze([...common, "--jaeger", stack!.jaegerUrl, "--jaeger-grpc", grpc]);
      expect(viaGrpc.spans).toBe(RUNS * SPANS_PER_RUN);
      expect({ ...viaGrpc, window: undefined }).toEqual({ ...viaHttp, window: undefined });
      // Nothing listens at this --jaeger: the report can only have come over gRPC.
      const closed = "http://127.0.0.1:9";
      const grpcOnly = await analyze([...common, "--jaeger", closed, "--jaeger-grpc", grpc]);
      expect(grpcOnly.spans).toBe(RUNS * SPANS_PER_RUN);
      expect(grpcOnly.llm).toEqual(viaHttp.llm);
      expect(grpcOnly.steps).toEqual(viaHttp.steps);
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it("--source auto picks Jaeger when it answers", async () => {
    const run = await runAnalyzer(["--since", "5m", "--format", "json"], { JAEGER_URL: stack!.jaegerUrl });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).source.kind).toBe("jaeger");
  });

  it(
    "--source prometheus reads the same calls, tokens and cost from the span metrics and sums",
    async () => {
      const report = await poll(`span metrics of ${service} in Prometheus`, 60_000, async () => {
        const r = await analyze(["--source", "prometheus", "--prometheus", stack!.prometheusUrl, "--service", service]);
        return r.llm.calls === 2 * RUNS && r.llm.inputTokens === 2 * RUNS * 1200 && r.llm.costUsd > 0 ? r : undefined;
      });
      expect(report.llm.outputTokens).toBe(2 * RUNS * 300);
      expect(report.llm.costUsd).toBeCloseTo(2 * RUNS * 1.8, 6);
      expect(report.llm.byModel).toEqual([expect.objectContaining({ provider: "openai", model, calls: 2 * RUNS })]);
      expect(report.operations.find((o: { name: string }) => o.name === "agent_run")).toMatchObject({ count: RUNS, errors: 0 });
      expect(report.steps).toEqual([expect.objectContaining({ name: "research", count: RUNS, failures: 0 })]);
      expect(report.warnings.join(" ")).toMatch(/Needs trace detail/);
    },
    STACK_TEST_TIMEOUT_MS,
  );
});
