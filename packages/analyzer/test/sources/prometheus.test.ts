// --source prometheus against a real local HTTP server answering /api/v1/query with the series
// the collector's spanmetrics and signal_to_metrics connectors produce.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SourceError } from "../../src/sources/errors.js";
import { readPrometheusReport } from "../../src/sources/prometheus.js";

const start = new Date("2026-11-25T20:00:00.000Z");
const end = new Date("2026-11-25T21:00:00.000Z");
let server: Server | undefined;
const queries: URLSearchParams[] = [];

afterEach(async () => {
  queries.length = 0;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

type Series = Record<string, number>;
const WF = "invoke_workflow research";
// Answers by what the expression asks for: metric, grouping label, filters, quantile.
function answer(expr: string): { metric: Record<string, string>; value: [number, string] }[] {
  const by = /by \((?:le, )?(\w+)(?:, (\w+))?\)/.exec(expr)!;
  const label = by[1]!;
  const q = /histogram_quantile\(([\d.]+)/.exec(expr)?.[1];
  const errors = expr.includes("STATUS_CODE_ERROR");
  let series: Series = {};
  if (expr.includes("llm_usage_")) {
    const value = expr.includes("input_tokens") ? 120_000 : expr.includes("output_tokens") ? 6_000 : 0.9;
    return [{ metric: { gen_ai_provider_name: "openai", gen_ai_request_model: "gpt-4o" }, value: [end.getTime() / 1000, String(value)] }];
  }
  if (label === "span_name") {
    if (q === "0.5") series = { [WF]: 9000, llm_call: 1200, "execute_tool search": 180 };
    else if (q === "0.95") series = { [WF]: 12000, llm_call: 2500, "execute_tool search": 400 };
    else if (expr.includes("_sum")) series = { [WF]: 100_000, llm_call: 80_000, "execute_tool search": 8_000 };
    else series = errors ? { llm_call: 2, [WF]: 1 } : { [WF]: 10, llm_call: 60, "execute_tool search": 40 };
  } else if (label === "gen_ai_request_model") {
    series = { "gpt-4o": q === "0.5" ? 1200 : q === "0.95" ? 2500 : expr.includes("_sum") ? 80_000 : 60 };
  } else if (label === "jotty_step_name") {
    if (q === "0.95") series = { plan: 5000, write: 6500 };
    else if (expr.includes("_sum")) series = { plan: 40_000, write: 50_000 };
    else series = errors ? { write: 1 } : { plan: 10, write: 10 };
  }
  return Object.entries(series).map(([name, value]) => ({ metric: { [label]: name }, value: [end.getTime() / 1000, String(value)] }));
}

async function startPrometheus(handler: (params: URLSearchParams) => { status: number; body: string }): Promise<string> {
  server = createServer((req, res) => {
    const params = new URL(req.url ?? "/", "http://x").searchParams;
    queries.push(params);
    const { status, body } = handler(params);
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("Prometheus source", () => {
  it("builds the aggregate report and says which figures need trace detail", async () => {
    const url = await startPrometheus((p) => ({
      status: 200,
      body: JSON.stringify({ status: "success", data: { resultType: "vector", result: answer(p.get("query")!) } }),
    }));
    const report = await readPrometheusReport({ url, start, end });
    expect(queries.every((q) => q.get("time") === (end.getTime() / 1000).toFixed(3) && q.get("query")!.includes("[3600s]"))).toBe(true);
    expect(report).toMatchObject({
      schemaVersion: 1,
      source: { kind: "prometheus", location: url },
      window: { start: start.toISOString(), end: end.toISOString() },
      traces: 0,
      spans: 110,
      wallMs: 0,
      runs: { count: 10, succeeded: 9, successRate: 0.9 },
      slowestTraces: [],
      recommendations: [],
    });
    expect(report.llm).toEqual({
      calls: 60,
      ms: 80_000,
      share: 0.8,
      criticalShare: 0,
      inputTokens: 120_000,
      outputTokens: 6_000,
      cacheReadTokens: 0,
      costUsd: 0.9,
      byModel: [
        {
          provider: "openai",
          model: "gpt-4o",
          calls: 60,
          inputTokens: 120_000,
          outputTokens: 6_000,
          cacheReadTokens: 0,
          costUsd: 0.9,
          p50Ms: 1200,
          p95Ms: 2500,
        },
      ],
    });
    expect(report.operations.map((o) => [o.name, o.count, o.totalMs, o.p50Ms, o.p95Ms, o.errors])).toEqual([
      [WF, 10, 100_000, 9000, 12000, 1],
      ["llm_call", 60, 80_000, 1200, 2500, 2],
      ["execute_tool search", 40, 8_000, 180, 400, 0],
    ]);
    expect(report.steps.map((s) => [s.name, s.count, s.meanMs, s.p95Ms, s.share, s.failures])).toEqual([
      ["write", 10, 5000, 6500, 0.5, 1],
      ["plan", 10, 4000, 5000, 0.4, 0],
    ]);
    expect(report.timeDistribution).toEqual([
      { component: "LLM calls", ms: 80_000, share: 0.8 },
      { component: "step write", ms: 50_000, share: 0.5 },
      { component: "step plan", ms: 40_000, share: 0.4 },
    ]);
    expect(report.bottlenecks.map((b) => [b.name, b.impact])).toEqual([
      ["LLM calls", "critical"],
      ["step write", "critical"],
      ["step plan", "high"],
    ]);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/exact counter increases over the window/);
    expect(report.warnings[1]).toMatch(/^Needs trace detail \(--source jaeger or --file\): traces, wall time, .*critical path/);
  });

  it("--service narrows span metrics by service_name and the sums by job", async () => {
    const url = await startPrometheus(() => ({ status: 200, body: JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }) }));
    const report = await readPrometheusReport({ url, start, end, service: "agent" });
    const exprs = queries.map((q) => q.get("query")!);
    expect(exprs.filter((e) => e.includes("traces_span_metrics")).every((e) => e.includes('service_name="agent"'))).toBe(true);
    expect(exprs.filter((e) => e.includes("llm_usage")).every((e) => e.includes('job=~".*agent"'))).toBe(true);
    expect(report.warnings).toEqual([
      "Prometheus has no span metrics (traces_span_metrics_duration_milliseconds_count) in this window; is the collector's spanmetrics connector scraped?",
    ]);
  });

  it("a rejected query is one clear line", async () => {
    const url = await startPrometheus(() => ({
      status: 400,
      body: JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error at char 5" }),
    }));
    const error = await readPrometheusReport({ url, start, end }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ rejected a query: parse error at char 5$/);
  });
});
