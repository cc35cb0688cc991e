// --source prometheus against a real local HTTP server whose series hold values no counter can
// (issue 24): -5 and 1e308 are refused, never summed, and one warning line says so; a histogram
// quantile's NaN (no observations) is Prometheus's normal answer and stays silent.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readPrometheusReport } from "../../src/sources/prometheus.js";

const start = new Date("2026-11-25T20:00:00.000Z");
const end = new Date("2026-11-25T21:00:00.000Z");
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const at = end.getTime() / 1000;
const sample = (metric: Record<string, string>, value: string) => ({ metric, value: [at, value] });
const model = (name: string) => ({ gen_ai_provider_name: "openai", gen_ai_request_model: name });

/** Answers by metric and grouping label, as Prometheus would for these series. */
function answer(expr: string): unknown[] {
  if (expr.includes("llm_usage_input_tokens")) return [sample(model("gpt-4o"), "120000"), sample(model("gpt-4o-mini"), "-5")];
  if (expr.includes("llm_usage_output_tokens")) return [sample(model("gpt-4o"), "6000"), sample(model("gpt-4o-mini"), "1e308")];
  if (expr.includes("llm_usage_cost")) return [sample(model("gpt-4o"), "0.9"), sample(model("gpt-4o-mini"), "+Inf")];
  if (expr.startsWith("histogram_quantile")) return expr.includes("span_name") ? [sample({ span_name: "llm_call" }, "NaN")] : [];
  if (expr.includes("by (span_name)")) {
    if (expr.includes("STATUS_CODE_ERROR")) return [];
    return expr.includes("_sum")
      ? [sample({ span_name: "llm_call" }, "80000"), sample({ span_name: "warped" }, "1e308")]
      : [sample({ span_name: "llm_call" }, "60"), sample({ span_name: "warped" }, "-5")];
  }
  if (expr.includes("by (gen_ai_request_model)")) return [sample({ gen_ai_request_model: "gpt-4o" }, expr.includes("_sum") ? "80000" : "60")];
  return [];
}

describe("Prometheus values no counter can hold", () => {
  it("are refused, never summed, with one warning line giving an example series", async () => {
    server = createServer((req, res) => {
      const query = new URL(req.url ?? "/", "http://x").searchParams.get("query")!;
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ status: "success", data: { resultType: "vector", result: answer(query) } }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const report = await readPrometheusReport({ url, start, end });
    expect(report.llm).toMatchObject({ inputTokens: 120_000, outputTokens: 6000, costUsd: 0.9 });
    expect(report.spans).toBe(60);
    expect(report.operations.map((o) => [o.name, o.count, o.totalMs, o.p50Ms])).toEqual([["llm_call", 60, 80_000, 0]]);
    expect(report.warnings.at(-1)).toBe(
      '5 Prometheus value(s) no counter can hold (negative, not finite or over 2^53): refused, not summed (e.g. llm_usage_cost_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini"} = Infinity)',
    );
    expect(report.warnings).toHaveLength(3);
  });
});
