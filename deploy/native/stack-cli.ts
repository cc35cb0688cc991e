// `pnpm stack up|down|status`: the collector stack without Docker, on the docker-compose ports.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stackCacheDir } from "./binaries.ts";
import { isProcessAlive as alive } from "./process-alive.ts";
import { startStack, stackAvailability } from "./stack.ts";

// JOTTY_STACK_RUN_DIR, JOTTY_STACK_DATA_DIR and JOTTY_STACK_PORTS=free let the CLI's own tests
// run it beside a real stack.
const runDir = process.env.JOTTY_STACK_RUN_DIR ?? join(stackCacheDir(), "run");
// Traces (Badger) and series (TSDB) outlive `pnpm stack down` here, for JOTTY_RETENTION.
const dataDir = process.env.JOTTY_STACK_DATA_DIR ?? join(stackCacheDir(), "data");
const composePorts = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  collectorMetrics: 8889,
  collectorHealth: 13133,
  collectorTelemetry: 8888,
  jaegerQueryHttp: 16686,
  jaegerQueryGrpc: 16685,
  prometheus: 9090,
};
const pidFile = join(runDir, "stack.json");

interface PidFile {
  pids: Record<string, number>;
  urls: Record<string, string>;
  dir: string;
}

function readPidFile(): PidFile | undefined {
  if (!existsSync(pidFile)) return undefined;
  return JSON.parse(readFileSync(pidFile, "utf8")) as PidFile;
}

async function up(): Promise<number> {
  const current = readPidFile();
  if (current && Object.values(current.pids).some(alive)) {
    console.log(`stack already running (pids in ${pidFile}); \`pnpm stack down\` first`);
    return 0;
  }
  const availability = stackAvailability();
  if (!availability.ok) {
    console.error(`stack: missing ${availability.missing}`);
    return 1;
  }
  const jaegerUi = process.env.JOTTY_JAEGER_UI;
  if (jaegerUi && !existsSync(join(jaegerUi, "index.html"))) {
    console.error(`stack: JOTTY_JAEGER_UI=${jaegerUi} is not a built Jaeger UI (no index.html there)`);
    return 1;
  }
  const dir = join(runDir, "logs");
  mkdirSync(dir, { recursive: true });
  const stack = await startStack({
    dir,
    dataDir,
    jaegerUi: jaegerUi ? resolve(jaegerUi) : undefined,
    traceStorage: process.env.JAEGER_TRACE_STORAGE === "memstore" ? "memstore" : "badger",
    detached: true,
    scrapeInterval: "5s",
    spanMetricsFlushInterval: "5s",
    batchTimeout: "1s",
    ports: process.env.JOTTY_STACK_PORTS === "free" ? {} : composePorts,
  });
  const pids: Record<string, number> = {};
  for (const [name, pid] of Object.entries(stack.pids())) if (pid !== undefined) pids[name] = pid;
  const urls = {
    otlp: stack.otlpHttpUrl,
    jaeger: stack.jaegerUrl,
    prometheus: stack.prometheusUrl,
    collectorMetrics: stack.collectorMetricsUrl,
  };
  writeFileSync(pidFile, JSON.stringify({ pids, urls, dir } satisfies PidFile, null, 2));
  console.log(`stack up (logs in ${dir}, data in ${dataDir})`);
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(17)} ${url}`);
  return 0;
}

async function down(): Promise<number> {
  const current = readPidFile();
  if (!current) {
    console.log("stack not running");
    return 0;
  }
  const pids = Object.values(current.pids).filter(alive);
  for (const pid of pids) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
  rmSync(pidFile, { force: true });
  console.log(`stack down (${pids.length} process${pids.length === 1 ? "" : "es"} stopped)`);
  return 0;
}

function status(): number {
  const current = readPidFile();
  if (!current) {
    console.log("stack not running");
    return 1;
  }
  let allUp = true;
  for (const [name, pid] of Object.entries(current.pids)) {
    const ok = alive(pid);
    allUp &&= ok;
    console.log(`  ${name.padEnd(11)} pid ${pid} ${ok ? "running" : "NOT running"}`);
  }
  for (const [name, url] of Object.entries(current.urls)) console.log(`  ${name.padEnd(17)} ${url}`);
  return allUp ? 0 : 1;
}

const command = process.argv[2];
const commands: Record<string, () => number | Promise<number>> = { up, down, status };
const run = command ? commands[command] : undefined;
if (!run) {
  console.error("usage: pnpm stack up|down|status");
  process.exitCode = 2;
} else {
  Promise.resolve()
    .then(run)
    .then(
      (code) => (process.exitCode = code),
      (error: unknown) => {
        // The first line says what failed; the logs under the run dir say the rest.
        const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
        console.error(`stack ${command}: ${reason} (logs in ${join(runDir, "logs")})`);
        process.exitCode = 1;
      },
    );
}
