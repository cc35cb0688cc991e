// The lightest LLM instrumentation in Node, measured side by side (issue 16): the real openai
// client (6.x, the newest every peer supports) making sequential chat.completions.create calls
// against a local server (≈1 KB JSON answers; 200-event SSE streams ending with a usage event),
// every contender on the same pipeline (bench/peers/contenders.ts), in a fresh process per round,
// the order rotating, medians over the rounds. Each LLM contender is first checked to produce one
// LLM span per request with the answer's tokens; one that records no LLM span is reported, not timed.
// Prints client CPU per request (process.cpuUsage) and its excess over the bare client, wall
// time, peak RSS, and the ratio of our added CPU to the lightest peer's.
// Run: pnpm bench:peers (or pnpm bench peers). Options: --rounds=N --requests=N --streams=N,
// --only=<contender name part> (that one and the bare client), --cpu-prof=<name part>[,<name part>]
// (writes that contender's V8 CPU profile to bench/.profiles/), --cpu-prof-interval=<µs> (its sampling interval).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { CONTENDERS } from "./peers/contenders.ts";
import type { Batch, ChildMessage, Mode } from "./peers/protocol.ts";
import { renderReport, type ContenderResult } from "./peers/report.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const ROUNDS = arg("rounds", 9);
const COUNTS: Record<Mode, number> = { json: arg("requests", 200), stream: arg("streams", 20) };
const profiled = process.argv.find((a) => a.startsWith("--cpu-prof="))?.slice(11);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const profileInterval = process.argv.find((a) => a.startsWith("--cpu-prof-interval="))?.slice(20);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function startServer(): Promise<{ server: ChildProcess; port: number }> {
  const server = spawn(process.execPath, [here("./peers/server.ts")], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`the LLM server exited (${code})`)));
    server.stdout!.once("data", (d: Buffer) => resolve({ server, port: Number(d.toString().trim()) }));
  });
}

class ContenderProcess {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (message: ChildMessage) => void; reject: (error: Error) => void };
  readonly ready: Promise<ChildMessage>;

  constructor(index: number, port: number) {
    const name = CONTENDERS[index]!.name;
    const profile = profiled?.split(",").some((part) => name.includes(part));
    if (profile) mkdirSync(here("./.profiles"), { recursive: true });
    const flags = [
      "--expose-gc",
      ...(profile
        ? ["--cpu-prof", `--cpu-prof-dir=${here("./.profiles")}`, ...(profileInterval !== undefined ? [`--cpu-prof-interval=${profileInterval}`] : [])]
        : []),
    ];
    this.child = spawn(process.execPath, [...flags, here("./peers/contender-process.ts"), String(index), String(port)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none", OTEL_TRACES_EXPORTER: "none", JOTTY_TRACES_FILE: "" },
    });
    this.child.on("message", (message: ChildMessage) => this.waiting?.resolve(message));
    this.child.on("exit", (code) => this.waiting?.reject(new Error(`${name}: contender process exited (${code})`)));
    this.ready = this.next();
  }

  private next(): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async run(mode: Mode): Promise<{ cpuUs: number; wallUs: number }> {
    const answer = this.next();
    this.child.send({ kind: "batch", mode, count: COUNTS[mode] } satisfies Batch);
    const message = await answer;
    if (message.kind !== "result") throw new Error(message.kind === "error" ? message.message : `unexpected ${message.kind}`);
    return message;
  }

  async close(): Promise<number> {
    const answer = this.next();
    this.child.send({ kind: "exit" });
    const message = await answer;
    await new Promise((resolve) => (this.child.exitCode !== null ? resolve(null) : this.child.once("exit", resolve)));
    return message.kind === "rss" ? message.maxRssKb : NaN;
  }
}

const { server, port } = await startServer();
const loadBefore = loadavg();
const results: ContenderResult[] = [];
const chosen = CONTENDERS.filter((c, i) => i === 0 || only === undefined || c.name.includes(only));
const timed: ContenderResult[] = [];
try {
  // Each contender is checked first, in a process of its own: one that records no LLM span is
  // reported, not timed.
  for (const contender of chosen) {
    const proc = new ContenderProcess(CONTENDERS.indexOf(contender), port);
    const ready = await proc.ready;
    if (ready.kind !== "ready") throw new Error(`${contender.name}: ${ready.kind === "error" ? ready.message : ready.kind}`);
    await proc.close();
    const result: ContenderResult = { contender, checks: ready.checks, cpu: { json: [], stream: [] }, wall: { json: [], stream: [] }, maxRssKb: NaN };
    results.push(result);
    const recordsNothing = contender.llm && Object.values(ready.checks).some((c) => c.llmSpansPerRequest.every((n) => n === 0));
    if (!recordsNothing) timed.push(result);
  }
  // Each round starts a fresh process per contender (the order rotates): a process's own luck
  // (JIT, heap sizing, layout) moves its figures by more than the gaps between contenders, so the
  // median is taken over processes, not over batches of one process. Each process warms up with
  // one batch per mode, then runs the timed batches.
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < timed.length; k++) {
      const result = timed[(k + round) % timed.length]!;
      const proc = new ContenderProcess(CONTENDERS.indexOf(result.contender), port);
      await proc.ready;
      for (const mode of ["json", "stream"] as const) await proc.run(mode);
      for (const mode of ["json", "stream"] as const) {
        const { cpuUs, wallUs } = await proc.run(mode);
        result.cpu[mode].push(cpuUs);
        result.wall[mode].push(wallUs);
      }
      const maxRssKb = await proc.close();
      if (!(result.maxRssKb >= maxRssKb)) result.maxRssKb = maxRssKb;
    }
  }
} finally {
  server.disconnect();
}
console.log(renderReport(results, { rounds: ROUNDS, counts: COUNTS, cpus: cpus().length, loadBefore, loadAfter: loadavg() }));
