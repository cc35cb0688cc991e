// Measures what one machine's native stack takes (the figures in docs/scale.md):
//   node scripts/measure-stack-limits.ts [seconds=15] [senders=4]
// Senders post OTLP/HTTP JSON batches (100 traces of 5 spans, llm_call attributes on one span per
// trace) to the collector for the given time; then it reports spans/s accepted by the collector,
// spans/s stored by Jaeger (Badger), peak memory of each process, and the analyzer's spans/s
// reading the same spans from Jaeger (gRPC and HTTP) and from an OTLP JSON lines file, in turn for
// JOTTY_LIMITS_ROUNDS rounds (default 2), with the CPU the analyzer and Jaeger used per read (what a
// busy machine does not change much) and the load average.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoDir } from "../deploy/native/binaries.ts";
import { startStack, type RunningStack } from "../deploy/native/stack.ts";

const seconds = Number(process.argv[2] ?? 15);
const senders = Number(process.argv[3] ?? 4);
const TRACES_PER_BATCH = 100;
const SPANS_PER_TRACE = 5;
const service = "jotty-limits";

function batch(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
  const spans = [];
  for (let t = 0; t < TRACES_PER_BATCH; t++) {
    const traceId = randomBytes(16).toString("hex");
    const root = randomBytes(8).toString("hex");
    for (let s = 0; s < SPANS_PER_TRACE; s++) {
      const llm = s === 1;
      spans.push({
        traceId,
        spanId: s === 0 ? root : randomBytes(8).toString("hex"),
        parentSpanId: s === 0 ? "" : root,
        name: s === 0 ? "agent_run" : llm ? "llm_call" : `step_${s}`,
        kind: llm ? 3 : 1,
        startTimeUnixNano: String(now + BigInt(s) * 1_000_000n),
        endTimeUnixNano: String(now + BigInt(s + 1) * 5_000_000n),
        attributes: llm
          ? [
              str("gen_ai.operation.name", "chat"),
              str("gen_ai.request.model", "gpt-4.1-mini"),
              str("gen_ai.provider.name", "openai"),
              int("gen_ai.usage.input_tokens", 1200),
              int("gen_ai.usage.output_tokens", 300),
              { key: "gen_ai.usage.cost", value: { doubleValue: 0.00096 } },
            ]
          : [str("jotty.step.name", `step_${s}`)],
      });
    }
  }
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [str("service.name", service)] }, scopeSpans: [{ spans }] }] });
}

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split("\n")
    .filter((l) => pattern.test(l))
    .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
}

function peakMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function send(stack: RunningStack, until: number, lines: string[]): Promise<number> {
  let accepted = 0;
  while (Date.now() < until) {
    const body = batch();
    const response = await fetch(`${stack.otlpHttpUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body });
    await response.arrayBuffer();
    if (response.ok) {
      accepted += TRACES_PER_BATCH * SPANS_PER_TRACE;
      lines.push(body);
    }
  }
  return accepted;
}

/** User + system CPU seconds a process has used (clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
}

const stack = await startStack({ scrapeInterval: "5s", spanMetricsFlushInterval: "5s", batchTimeout: "1s" });
try {
  const lines: string[] = [];
  const start = performance.now();
  const until = Date.now() + seconds * 1000;
  const sent = (await Promise.all(Array.from({ length: senders }, () => send(stack, until, lines)))).reduce((a, b) => a + b, 0);
  const sendSeconds = (performance.now() - start) / 1000;
  const jaegerMetrics = `http://127.0.0.1:${stack.ports.jaegerMetrics}/metrics`;
  const stored = () => metric(jaegerMetrics, /^otelcol_exporter_sent_spans(_total)?\{/);
  while ((await stored()) < sent) await new Promise((r) => setTimeout(r, 200));
  const storeSeconds = (performance.now() - start) / 1000;
  const pids = stack.pids();
  console.log(`collector accepted ${sent} spans in ${sendSeconds.toFixed(1)} s: ${(sent / sendSeconds).toFixed(0)} spans/s (${senders} senders)`);
  console.log(`jaeger (badger) stored them all after ${storeSeconds.toFixed(1)} s: ${(sent / storeSeconds).toFixed(0)} spans/s`);
  console.log(
    `peak RSS MiB: collector ${peakMiB(pids.collector).toFixed(0)}, jaeger ${peakMiB(pids.jaeger).toFixed(0)}, prometheus ${peakMiB(pids.prometheus).toFixed(0)}`,
  );

  const cli = join(repoDir, "packages", "analyzer", "dist", "cli.js");
  const file = join(stack.dir, "limits.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const analyze = (args: string[]) =>
    promisify(execFile)("/usr/bin/time", ["-f", "%M %U %S", process.execPath, cli, ...args, "--format", "json"], { maxBuffer: 256 << 20 });
  const jaeger = ["--source", "jaeger", "--jaeger", stack.jaegerUrl, "--service", service, "--since", "1h"];
  // The readers in turn, several rounds, so that a busy machine slows each about alike: the file,
  // Jaeger over gRPC (OTLP protobuf), Jaeger over HTTP /api/v3 (OTLP JSON).
  const readers: [string, string[]][] = [
    ["file", ["--file", file]],
    ["jaeger grpc", [...jaeger, "--jaeger-grpc", `127.0.0.1:${stack.ports.jaegerQueryGrpc}`]],
    ["jaeger http", [...jaeger, "--jaeger-grpc", "off"]],
  ];
  const rounds = Number(process.env.JOTTY_LIMITS_ROUNDS ?? 2);
  // The same spans must give the same report: every figure but where they came from (source,
  // window, trace links) and which traces a warning names as examples (the first seen).
  const figures = (stdout: string) => {
    const {
      source: _,
      window: __,
      slowestTraces,
      warnings,
      ...rest
    } = JSON.parse(stdout) as Record<string, unknown> & { slowestTraces: { url?: string }[]; warnings: string[] };
    return JSON.stringify({
      ...rest,
      slowestTraces: slowestTraces.map(({ url: ___, ...t }) => t),
      warnings: warnings.map((w) => w.replace(/\(e\.g\. trace [^)]*\)/, "(e.g. …)")),
    });
  };
  let fileFigures: string | undefined;
  let fileStdout = "";
  for (let round = 1; round <= rounds; round++) {
    for (const [what, args] of readers) {
      const load = loadAverage();
      const jaegerCpu = cpuSeconds(pids.jaeger);
      const [run, secs] = await timed(() => analyze(args));
      const jaegerCpuUsed = cpuSeconds(pids.jaeger) - jaegerCpu;
      const spans = (JSON.parse(run.stdout) as { spans: number }).spans;
      const [maxKb, user, system] = run.stderr.trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number];
      const mib = maxKb / 1024;
      const analyzerCpu = user + system;
      const own = figures(run.stdout);
      if (what === "file" && fileFigures === undefined) [fileFigures, fileStdout] = [own, run.stdout];
      const same = what === "file" ? "" : `, figures ${own === fileFigures ? "equal to the file's" : "DIFFERENT"}`;
      console.log(
        `round ${round} analyzer from ${what}: ${spans} spans in ${secs.toFixed(1)} s: ${(spans / secs).toFixed(0)} spans/s, peak RSS ${mib.toFixed(0)} MiB, CPU analyzer ${analyzerCpu.toFixed(1)} s + jaeger ${jaegerCpuUsed.toFixed(1)} s (${(((analyzerCpu + jaegerCpuUsed) * 1e6) / spans).toFixed(0)} µs a span), load ${load}${same}`,
      );
      if (own !== fileFigures && process.env.JOTTY_LIMITS_DUMP) {
        writeFileSync(`${process.env.JOTTY_LIMITS_DUMP}-${what.replace(" ", "-")}.json`, run.stdout);
        writeFileSync(`${process.env.JOTTY_LIMITS_DUMP}-file.json`, fileStdout);
      }
    }
  }
} finally {
  await stack.stop();
}
