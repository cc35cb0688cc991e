// `pnpm analyze` (the built CLI, as `pnpm analyze` runs it) over a running stack's Jaeger.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoDir } from "../../native/binaries.ts";

export interface AnalyzerReport {
  traces: number;
  spans: number;
  wallMs: number;
  llm: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  operations: { name: string; count: number; totalMs: number }[];
  steps: { name: string; count: number; meanMs: number }[];
  slowestTraces: { traceId: string; durationMs: number; url: string }[];
}

export async function analyzeJaeger(jaegerUrl: string, service: string, format: "json" | "table" = "json"): Promise<{ report?: AnalyzerReport; stdout: string }> {
  const cli = join(repoDir, "packages", "analyzer", "dist", "cli.js");
  const args = [cli, "--source", "jaeger", "--jaeger", jaegerUrl, "--since", "1h", "--service", service, "--format", format];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: repoDir, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 << 20 });
  return { report: format === "json" ? (JSON.parse(stdout) as AnalyzerReport) : undefined, stdout };
}

/** The report's figures that must not change when the same traces are read again (not the window or URLs). */
export function figures(report: AnalyzerReport): object {
  return {
    traces: report.traces,
    spans: report.spans,
    wallMs: report.wallMs,
    llm: report.llm,
    operations: report.operations,
    steps: report.steps,
    slowestTraces: report.slowestTraces.map((t) => ({ traceId: t.traceId, durationMs: t.durationMs })),
  };
}
