// Start-up cost of `node --import @jotty/otel/register` (issue 20): whole processes side by side
// with bare `node` and with a plain NodeSDK set-up, the order rotating each round, medians of
// the rounds. Each process is timed by this script (spawn to exit) and by /usr/bin/time (CPU,
// peak RSS) when it is there. The figure of interest is each contender's difference from bare
// node in the same round. Target: register adds at most 150 ms wall and 15 MiB RSS.
// Run: pnpm bench startup (after pnpm build). Options: --rounds=N (default 9).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { median, quartiles } from "./stats.ts";

const ROUNDS = Number(process.argv.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 9);
const dir = fileURLToPath(new URL("./startup/", import.meta.url));
const TIME = "/usr/bin/time";
const WALL_TARGET_MS = 150;
const RSS_TARGET_MIB = 15;

interface Contender {
  name: string;
  args: string[];
}

const CONTENDERS: Contender[] = [
  { name: "bare node", args: ["empty.mjs"] },
  { name: "--import @jotty/otel/register", args: ["--import", "@jotty/otel/register", "empty.mjs"] },
  { name: "--import @opentelemetry/api only", args: ["--import", "./api-only.mjs", "empty.mjs"] },
  { name: "plain NodeSDK (--import, new NodeSDK().start())", args: ["--import", "./node-sdk-setup.mjs", "empty.mjs"] },
  { name: "register, app ends one span", args: ["--import", "@jotty/otel/register", "one-span.mjs"] },
];

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

/** A port nothing listens on: exports and exit probes are refused at once, never reach a real collector. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function cleanEnv(endpoint: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(OTEL_|JOTTY_|NODE_OPTIONS$)/.test(k)) env[k] = v;
  return { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
}

const withTime = existsSync(TIME);

function run(contender: Contender, env: NodeJS.ProcessEnv): Promise<Sample> {
  const command = withTime ? TIME : process.execPath;
  const args = withTime ? ["-f", "@@time %U %S %M", process.execPath, ...contender.args] : contender.args;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      const line = stderr.split("\n").find((l) => l.startsWith("@@time "));
      if (code !== 0) return reject(new Error(`${contender.name} exited with ${code}:\n${stderr}`));
      const [user, system, rssKb] = (line?.slice(7).split(" ") ?? []).map(Number);
      resolve({ wallMs, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000, rssMiB: (rssKb ?? NaN) / 1024 });
    });
  });
}

const endpoint = `http://127.0.0.1:${await closedPort()}`;
const env = cleanEnv(endpoint);
const loadBefore = loadavg();
const samples = CONTENDERS.map(() => [] as Sample[]);
// One warm-up round (file cache, the compile cache of node itself), not counted.
for (const contender of CONTENDERS) await run(contender, env);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? CONTENDERS.map((_, i) => i) : CONTENDERS.map((_, i) => CONTENDERS.length - 1 - i);
  for (const i of order) samples[i]!.push(await run(CONTENDERS[i]!, env));
}
const loadAfter = loadavg();

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const signed = (n: number, digits = 0) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(digits)}` : "–");
const bare = samples[0]!;
/** Median over rounds of this contender's figure minus bare node's in the same round, and the middle half. */
function added(i: number, key: keyof Sample): { median: number; spread: [number, number] } {
  const diffs = samples[i]!.map((s, round) => s[key] - bare[round]![key]);
  return { median: median(diffs), spread: quartiles(diffs) };
}

console.log(
  `${ROUNDS} rounds, order alternating; ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(1)).join(" ")} → ${loadAfter.map((l) => l.toFixed(1)).join(" ")}; Node ${process.version}`,
);
if (!withTime) console.log(`(${TIME} not found: CPU and RSS are not measured)`);
console.log("");
const header = ["contender", "wall ms", "+ vs bare (middle half)", "× bare", "CPU ms", "+ vs bare", "max RSS MiB", "+ vs bare"];
const rows = CONTENDERS.map((c, i) => {
  const own = samples[i]!;
  const wall = median(own.map((s) => s.wallMs));
  const addedWall = added(i, "wallMs");
  return [
    c.name,
    fmt(wall),
    i === 0 ? "" : `${signed(addedWall.median)} (${fmt(addedWall.spread[0])}…${fmt(addedWall.spread[1])})`,
    i === 0 ? "" : `${fmt(wall / median(bare.map((s) => s.wallMs)), 2)} ×`,
    fmt(median(own.map((s) => s.cpuMs))),
    i === 0 ? "" : signed(added(i, "cpuMs").median),
    fmt(median(own.map((s) => s.rssMiB)), 1),
    i === 0 ? "" : signed(added(i, "rssMiB").median, 1),
  ];
});
const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col]!.length)));
for (const row of [header, ...rows]) console.log(row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join("  "));

const wallAdded = added(1, "wallMs").median;
const rssAdded = added(1, "rssMiB").median;
console.log("");
console.log(
  `register vs bare node: ${signed(wallAdded)} ms wall (target ≤ +${WALL_TARGET_MS}: ${wallAdded <= WALL_TARGET_MS ? "met" : "MISSED"}), ` +
    `${signed(rssAdded, 1)} MiB RSS (target ≤ +${RSS_TARGET_MIB}: ${withTime ? (rssAdded <= RSS_TARGET_MIB ? "met" : "MISSED") : "not measured"})`,
);
