// `pnpm demo --format json` as a user runs it, exporting over OTLP to a running stack (and to its
// own traces file, which is the ground truth the stack's figures are checked against).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoDir } from "../../native/binaries.ts";
import { spansOfOtlp, type OtlpTraces, type StoredSpan } from "./query.ts";

export interface DemoRun {
  spans: StoredSpan[];
  /** The analyzer's JSON report of the run's traces file, as the demo printed it. */
  report: { traces: { count: number }; wallMs: number };
  stderr: string;
}

export async function runDemo(otlpHttpUrl: string, service: string, dir: string): Promise<DemoRun> {
  const tracesFile = join(dir, "traces.jsonl");
  const args = ["demo", "--format", "json", "--time-scale", "0.1", "--traces-file", tracesFile];
  const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl, OTEL_SERVICE_NAME: service, NO_COLOR: "1" };
  const child = spawn("pnpm", args, { cwd: repoDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`pnpm demo exited with ${code}: ${stderr.slice(-2000)}`);
  if (!stderr.includes(`OTLP ${otlpHttpUrl}`)) throw new Error(`pnpm demo did not export to ${otlpHttpUrl}: ${stderr.slice(0, 500)}`);
  const spans = readFileSync(tracesFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => spansOfOtlp(JSON.parse(line) as OtlpTraces));
  // pnpm prints its "> demo" banner first; the report is the JSON document after it.
  const report = JSON.parse(stdout.slice(stdout.indexOf("\n{") + 1)) as DemoRun["report"];
  return { spans, report, stderr };
}
