// Real-size checks of the analyzer's bounds, too big for a unit test (they write ~1.2 GB):
//   node scripts/analyzer-huge-inputs.ts [check…]   (after `pnpm build`; needs ~1.3 GB free in the temp dir)
// 1. huge-line: a JSON-lines file whose middle line is 600 MiB (over V8's ~512 MiB string limit):
//    skipped with one warning, the lines around it read, peak RSS printed.
// 2. jaeger-page: a Jaeger /api/v3/traces page of 600 MB from a local server: stream-parsed.
// (A million one-span traces and one trace of a million spans under the same heap cap are suite
// tests: packages/analyzer/test/cli/huge-inputs.test.ts.)
// With no argument every check runs. Each runs the CLI under a 256 MB heap; exits 1 if one fails
// or its peak RSS exceeds the bound below. (The engine's tests prove the same mechanisms at small
// sizes: packages/engine/test/engine/report-trace-parts.test.ts.)
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../packages/analyzer/dist/cli.js", import.meta.url));
const HUGE = 600 * 2 ** 20;
// The V8 heap is capped so that garbage cannot pass for a leak: a run that needed the whole
// 600 MB in the heap would die. Peak RSS then adds the line buffer (Buffers live outside the heap:
// a line is kept up to the line bound, ~512 MiB, before it is known to be too long).
const HEAP_MB = 256;
const RSS_BOUND_MB = 900;
const dir = mkdtempSync(join(tmpdir(), "jotty-huge-"));
const START_NS = 1_764_100_800_000_000_000n;

const span = (trace: number, filler: string) =>
  JSON.stringify({
    traceId: trace.toString(16).padStart(32, "0"),
    spanId: "0000000000000001",
    name: "work",
    startTimeUnixNano: String(START_NS + BigInt(trace) * 1000n),
    endTimeUnixNano: String(START_NS + BigInt(trace) * 1000n + 5_000_000n),
    filler, // not an OTLP field: read past, never kept
  });
const line = (trace: number) => JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ spans: [JSON.parse(span(trace, ""))] }] }] });

/** Writes `parts()` to `out` respecting backpressure. */
async function pump(out: NodeJS.WritableStream, parts: Iterable<string>): Promise<void> {
  for (const part of parts) if (!out.write(part)) await new Promise((resolve) => out.once("drain", resolve));
}

function* hugePage(): Generator<string> {
  const filler = "x".repeat(10_000);
  yield '{"result":{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[';
  let bytes = 0;
  for (let trace = 1; bytes < HUGE; trace++) {
    const text = (trace > 1 ? "," : "") + span(trace, filler);
    bytes += text.length;
    yield text;
  }
  yield "]}]}]}}";
}

async function runCli(args: string[], heapMb: number): Promise<{ code: number | null; stdout: string; stderr: string; rssMb: number }> {
  const rssFile = join(dir, "rss");
  const hook = `data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", hook, CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr, rssMb: Math.round(Number(readFileSync(rssFile, "utf8")) / 1024) };
}

const only = new Set(process.argv.slice(2));
const wanted = (check: string) => only.size === 0 || only.has(check);

let failed = false;
function check(name: string, ok: boolean, detail: string): void {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
  if (!ok) failed = true;
}

try {
  if (wanted("huge-line")) await hugeLine();
  if (wanted("jaeger-page")) await jaegerPage();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function hugeLine(): Promise<void> {
  const file = join(dir, "huge-line.jsonl");
  const out = createWriteStream(file);
  await pump(out, [line(1), "\n", '{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[']);
  await pump(
    out,
    (function* () {
      const chunk = `${span(2, "y".repeat(1 << 20))},`;
      for (let bytes = 0; bytes < HUGE; bytes += chunk.length) yield chunk;
    })(),
  );
  await pump(out, [`${span(3, "")}]}]}]}`, "\n", line(4), "\n"]);
  await new Promise((resolve) => out.end(resolve));
  const lines = await runCli(["--file", file, "--format", "json"], HEAP_MB);
  const report = lines.code === 0 ? JSON.parse(lines.stdout) : undefined;
  check(
    "600 MiB JSON line",
    lines.code === 0 && report.spans === 2 && report.warnings.some((w: string) => w.startsWith("JSON line over 512 MiB skipped")) && lines.rssMb < RSS_BOUND_MB,
    `exit ${lines.code}, ${report?.spans} spans, warning "${report?.warnings[0]}", peak RSS ${lines.rssMb} MB${lines.stderr ? `, stderr ${lines.stderr.trim()}` : ""}`,
  );
  rmSync(file);
}

async function jaegerPage(): Promise<void> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.writeHead(200, { "content-type": "application/json" });
    if (url.pathname === "/api/v3/services") res.end('{"services":["agent"]}');
    else void pump(res, hugePage()).then(() => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const jaegerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await runCli(
    [
      "--source",
      "jaeger",
      "--jaeger",
      jaegerUrl,
      "--since",
      "2025-11-25T19:00:00Z",
      "--until",
      "2025-11-26T00:00:00Z",
      "--page-size",
      "1000000",
      "--format",
      "json",
    ],
    HEAP_MB,
  );
  server.closeAllConnections();
  server.close();
  const pageReport = page.code === 0 ? JSON.parse(page.stdout) : undefined;
  check(
    "600 MB Jaeger page",
    page.code === 0 && pageReport.spans > 60_000 && page.rssMb < RSS_BOUND_MB,
    `exit ${page.code}, ${pageReport?.spans} spans, peak RSS ${page.rssMb} MB${page.stderr ? `, stderr ${page.stderr.trim()}` : ""}`,
  );
}
