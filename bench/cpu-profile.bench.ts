// CPU profiler overhead: wall time with the V8 sampling profile on vs off, in one process, on a
// CPU-bound workload and on an I/O-wait workload shaped like an LLM agent (segments awaiting a
// loopback HTTP "model" that answers after a delay). Runs alternate off/on; medians are compared.
// Targets (issue 7): ≤ 5 % CPU-bound, ≤ 1 % I/O-wait. The profiler's one-time start (V8 logs all
// compiled code) and the final file write are measured apart: they happen once per process.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { trace, type Tracer } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { CpuProfiler } from "../packages/otel/dist/cpu-profile/index.js";

const PAIRS = Number(process.env.BENCH_ROUNDS ?? 20);
// Real LLM calls take 0.5-30 s; a much shorter simulated wait makes the CPU share of the run,
// and so the profiler's relative cost, larger than in a real agent: a conservative figure.
const LLM_LATENCY_MS = Number(process.env.BENCH_LLM_LATENCY_MS ?? 40);
const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-bench-"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function tracerWith(processors: SpanProcessor[]): { tracer: Tracer; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [...processors, new SimpleSpanProcessor({ exporter })] });
  return { tracer: provider.getTracer("cpu-profile-bench"), exporter };
}

// --- workloads ---------------------------------------------------------------------------------

function parseAndRank(seed: number): number {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ id: i, score: ((i * 7919 + seed) % 1000) / 7, tag: `t${i % 13}` }));
  const parsed = JSON.parse(JSON.stringify(rows)) as typeof rows;
  parsed.sort((a, b) => b.score - a.score || a.id - b.id);
  return parsed.slice(0, 10).reduce((s, r) => s + r.score + r.tag.length, 0);
}

/** 60 segments of ~3-5 ms pure CPU each, like a validation or parsing step. */
function cpuBound(tracer: Tracer): number {
  let total = 0;
  for (let step = 0; step < 60; step++) {
    const span = tracer.startSpan(`cpu-step-${step % 6}`);
    total += parseAndRank(step);
    span.end();
  }
  return total;
}

/** 8 sequential "LLM calls" of LLM_LATENCY_MS each over loopback HTTP, each inside a segment, a little JSON work per answer. */
async function ioWait(tracer: Tracer, url: string): Promise<number> {
  let total = 0;
  for (let call = 0; call < 8; call++) {
    const span = tracer.startSpan("llm-step");
    const response = await fetch(url, { method: "POST", body: JSON.stringify({ call }) });
    const body = (await response.json()) as { tokens: number[] };
    total += body.tokens.reduce((a, b) => a + b, 0);
    span.end();
  }
  return total;
}

function startModelServer(): Promise<Server> {
  const tokens = Array.from({ length: 200 }, (_, i) => i);
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      setTimeout(() => res.end(JSON.stringify({ tokens })), LLM_LATENCY_MS);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// --- measurement ---

/** A full GC, then a pause so background sweeping and compilation finish before the timed run. */
async function settle(): Promise<void> {
  globalThis.gc?.();
  await sleep(40);
}
// -------------------------------------------------------------------------------

interface Mode {
  name: string;
  minReadIntervalMs?: number;
}

async function measure(
  label: string,
  modes: Mode[],
  run: (tracer: Tracer) => unknown,
): Promise<void> {
  const times = new Map<string, number[]>([["off", []], ...modes.map((m): [string, number[]] => [m.name, []])]);
  const offTracer = tracerWith([]);
  const startCosts: number[] = [];
  const stopCosts: number[] = [];
  for (let warm = 0; warm < 10; warm++) await run(offTracer.tracer);
  const runOff = async () => {
    await settle();
    const t = performance.now();
    await run(offTracer.tracer);
    times.get("off")!.push(performance.now() - t);
    offTracer.exporter.reset();
  };
  const runOn = async (mode: Mode) => {
    let t = performance.now();
    const profiler = new CpuProfiler({ dir, serviceName: "bench", minReadIntervalMs: mode.minReadIntervalMs });
    startCosts.push(performance.now() - t);
    const on = tracerWith([profiler]);
    await settle();
    t = performance.now();
    await run(on.tracer);
    profiler.read(); // resolve every segment inside the timed run, as a flush would
    times.get(mode.name)!.push(performance.now() - t);
    const spans = on.exporter.getFinishedSpans();
    if (!spans.every((s) => s.events.some((e) => e.name === "jotty.cpu_profile"))) throw new Error("a segment missed its CPU slice");
    t = performance.now();
    profiler.stop();
    stopCosts.push(performance.now() - t);
  };
  // Alternate the order inside each round so drift (JIT, GC, other load) hits every mode alike.
  for (let round = 0; round < PAIRS; round++) {
    const order: (Mode | undefined)[] = [undefined, ...modes];
    if (round % 2) order.reverse();
    for (const mode of order) await (mode ? runOn(mode) : runOff());
  }
  const off = times.get("off")!;
  const base = median(off);
  console.log(`\n${label}: ${PAIRS} rounds, modes alternating inside each round`);
  console.log(`  ${"mode".padEnd(38)} median ms  fastest ms  ratio of medians  median of per-round ratios`);
  console.log(`  ${"profiling off".padEnd(38)} ${base.toFixed(1).padStart(9)}  ${Math.min(...off).toFixed(1).padStart(10)}`);
  for (const mode of modes) {
    const on = times.get(mode.name)!;
    const ratio = median(on) / base;
    const perRound = median(on.map((t, i) => t / off[i]!));
    console.log(
      `  ${mode.name.padEnd(38)} ${median(on).toFixed(1).padStart(9)}  ${Math.min(...on).toFixed(1).padStart(10)}  ${ratio.toFixed(3).padStart(16)}  ${perRound.toFixed(3).padStart(26)}`,
    );
  }
  console.log(`  one-time profiler start ${median(startCosts).toFixed(1)} ms, stop + file write ${median(stopCosts).toFixed(1)} ms (median)`);
}

const modes: Mode[] = [
  { name: "profiling on (default, 1 ms)" },
  { name: "profiling on, read at every segment", minReadIntervalMs: 0 },
];
await measure("CPU-bound workload (60 segments of JSON + sort)", modes, cpuBound);
const server = await startModelServer();
const { port } = server.address() as AddressInfo;
const url = `http://127.0.0.1:${port}/v1/chat`;
await measure(`I/O-wait workload (8 sequential ${LLM_LATENCY_MS} ms loopback LLM calls)`, modes, (tracer) => ioWait(tracer, url));
server.closeAllConnections();
server.close();
rmSync(dir, { recursive: true, force: true });
trace.disable();
console.log("\ntargets: ≤ 5 % CPU-bound, ≤ 1 % I/O-wait");
