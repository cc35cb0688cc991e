// The LLM instrumentations' own CPU, without the network (issue 16): same contenders, client and
// recorded answers as peers.bench.ts, but globalThis.fetch answers in-process and each process
// switches its LLM instrumentation off and on between paired rounds, so the figure is the
// instrumentation's added CPU per request, not the HTTP stack's or the machine's noise (on a
// loaded 2-core machine the networked figures swing by hundreds of µs between runs).
// Run: pnpm bench peers-in-process. Options: --rounds=N --requests=N --streams=N.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { median } from "./stats.ts";
import { CONTENDERS } from "./peers/contenders.ts";
import type { RequestCheck } from "./peers/llm-spans.ts";
import type { Mode } from "./peers/protocol.ts";
import { lightestLine, signed, spanCheck } from "./peers/report.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const ROUNDS = arg("rounds", 7);
const REQUESTS = arg("requests", 500);
const STREAMS = arg("streams", 50);
const child = fileURLToPath(new URL("./peers/in-process-contender.ts", import.meta.url));

interface Measured {
  name: string;
  checks: Record<Mode, RequestCheck>;
  off: Record<Mode, number>;
  added: Record<Mode, number>;
}

const loadBefore = loadavg();
const measured: Measured[] = [];
for (let i = 0; i < CONTENDERS.length; i++) {
  const contender = CONTENDERS[i]!;
  if (!contender.llm) continue;
  const run = spawnSync(process.execPath, ["--expose-gc", child, String(i), String(REQUESTS), String(STREAMS), String(ROUNDS)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none", OTEL_TRACES_EXPORTER: "none", JOTTY_TRACES_FILE: "" },
  });
  if (run.status !== 0) throw new Error(`${contender.name}: exited ${run.status}`);
  const { checks, result } = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
    checks: Record<Mode, RequestCheck>;
    result: Record<Mode, { off: number[]; added: number[] }>;
  };
  measured.push({
    name: contender.name,
    checks,
    off: { json: median(result.json.off), stream: median(result.stream.off) },
    added: { json: median(result.json.added), stream: median(result.stream.added) },
  });
}

console.log(`In-process: ${REQUESTS} JSON requests and ${STREAMS} streams per batch, ${ROUNDS} paired rounds (instrumentation off / on), medians.`);
console.log(
  `${new Date().toISOString()}, ${cpus().length} CPUs, 1-min load ${loadBefore[0]!.toFixed(2)} before / ${loadavg()[0]!.toFixed(2)} after, Node ${process.version}.`,
);
console.log("");
console.log("| contender | CPU µs/req JSON, off | added | CPU µs/stream, off | added | LLM span per request (JSON / stream) |");
console.log("|---|---|---|---|---|---|");
for (const m of measured) {
  const cells = [m.off.json.toFixed(1), signed(m.added.json, 1), m.off.stream.toFixed(0), signed(m.added.stream), spanCheck(m.checks)];
  console.log(`| ${m.name} | ${cells.join(" | ")} |`);
}
console.log("");
for (const mode of ["json", "stream"] as const) {
  console.log(
    lightestLine(
      mode,
      measured.map((m) => ({ name: m.name, added: m.added[mode], tokens: m.checks[mode].tokens })),
    ),
  );
}
