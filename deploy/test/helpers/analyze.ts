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

const cli = join(repoDir, "packages", "analyzer", "dist", "cli.js");

/** The built CLI as a child process with the environment's source variables cleared; never throws on its exit code. */
export function runAnalyzer(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...env };
  for (const key of ["JAEGER_URL", "PROMETHEUS_URL", "JOTTY_TRACES_FILE", "JOTTY_JAEGER_PAGE_SIZE"]) if (!(key in env)) delete childEnv[key];
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: repoDir, env: childEnv, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function analyzeJaeger(
  jaegerUrl: string,
  service: string,
  format: "json" | "table" = "json",
): Promise<{ report?: AnalyzerReport; stdout: string }> {
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
