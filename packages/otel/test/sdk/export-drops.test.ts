// No drop goes unsaid: real processes (`node --import @jotty/otel/register`, the built dist/) whose
// spans cannot all be delivered end with one stderr line and the drops counted as failed exports,
// whichever way the export failed and the process ended; spans delivered + dropped = spans ended.
// And a traces-file append that fails part-way (a file size limit, as a full disk does) is undone,
// so every line of the file parses and lines + counted drops = spans ended.
// Run `flock /tmp/jotty-build.lock pnpm build` before running this file alone.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExportStats } from "../../src/sdk/export-stats.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));

interface Finished {
  code: number | null;
  stdout: string[];
  stderr: string;
}

/** Runs `node --import @jotty/otel/register app` (under `ulimit -f` blocks of 1 KiB when given) to its end. */
function run(app: string, env: Record<string, string>, fileSizeLimitKiB?: number): Promise<Finished> {
  const node = [process.execPath, "--import", "@jotty/otel/register", join(fixtures, app)];
  // SIGXFSZ ignored, as a long-running service would: the write fails with EFBIG instead.
  const [command, args] =
    fileSizeLimitKiB === undefined ? [node[0]!, node.slice(1)] : ["bash", ["-c", `ulimit -f ${fileSizeLimitKiB}; trap '' XFSZ; exec "$@"`, "bash", ...node]];
  const child = spawn(command, args, {
    cwd: fixtures,
    env: { ...process.env, NODE_OPTIONS: "", OTEL_METRICS_EXPORTER: "none", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout: stdout.split("\n").filter((l) => l !== ""), stderr })));
}

function statsOf(run: Finished): ExportStats {
  const line = run.stdout.findLast((l) => l.startsWith("stats "));
  if (line === undefined) throw new Error(`no stats line; stdout:\n${run.stdout.join("\n")}\nstderr:\n${run.stderr}`);
  return JSON.parse(line.slice(6)) as ExportStats;
}

/** Spans agent-app.mjs reported ended (`ended <json ids>` lines). */
function endedCount(run: Finished): number {
  return run.stdout.filter((l) => l.startsWith("ended ")).reduce((n, l) => n + (JSON.parse(l.slice(6)) as string[]).length, 0);
}

const exportWarnings = (run: Finished) => run.stderr.split("\n").filter((l) => l.includes("cannot export spans"));

describe("every dropped span is said and counted", () => {
  const servers: Server[] = [];
  let dir: string | undefined;

  beforeAll(() => {
    if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const listen = async (server: Server): Promise<string> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  /** A port on which nothing listens. */
  const closedPortUrl = async (): Promise<string> => {
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
  };

  it("a collector that resets every connection: one line, failedExports counted, delivered + dropped = ended", async () => {
    const endpoint = await listen(createServer((socket) => socket.resetAndDestroy()));
    const done = await run("agent-app.mjs", {
      APP_MODE: "finite",
      PRINT_EXPORT_STATS: "1",
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      JOTTY_EXIT_FLUSH_TIMEOUT_MS: "1000",
    });
    expect(done.code).toBe(0);
    const stats = statsOf(done);
    const ended = endedCount(done);
    expect(ended).toBe(18);
    expect(stats.exportedSpans + stats.droppedSpans).toBe(ended);
    expect(stats.droppedSpans).toBe(ended);
    expect(stats.failedExports).toBeGreaterThanOrEqual(1);
    expect(exportWarnings(done)).toHaveLength(1);
    expect(exportWarnings(done)[0]).toContain(`${endpoint}/v1/traces`);
  });

  it("the collector down and the app calls process.exit(3): exit code kept, one line, drops counted", async () => {
    const endpoint = await closedPortUrl();
    const done = await run("agent-app.mjs", { APP_MODE: "exit3", PRINT_EXPORT_STATS: "1", OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(done.code).toBe(3);
    const stats = statsOf(done);
    expect(stats.droppedSpans).toBe(endedCount(done));
    expect(stats.exportedSpans).toBe(0);
    expect(stats.failedExports).toBeGreaterThanOrEqual(1);
    expect(exportWarnings(done)).toHaveLength(1);
  });
});

describe("a traces-file append that fails part-way", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("is undone: every line parses, lines + counted drops = spans ended, one stderr line", async () => {
    dir = mkdtempSync(join(tmpdir(), "jotty-fsize-"));
    const file = join(dir, "traces.jsonl");
    const done = await run("traces-file-limit-app.mjs", { JOTTY_TRACES_FILE: file, OTEL_TRACES_EXPORTER: "none" }, 24);
    expect(done.code).toBe(0);
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    const names = lines
      .slice(0, -1)
      .map((line) => JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] })
      .flatMap((doc) => doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name))));
    const stats = statsOf(done);
    expect(done.stdout).toContain("ended 15");
    expect(names.length + stats.droppedFileSpans).toBe(15);
    expect(stats).toMatchObject({ failedFileWrites: 1, droppedFileSpans: 5 });
    expect(names.filter((n) => n.startsWith("small-"))).toHaveLength(10);
    expect(done.stderr.split("\n").filter((l) => l.includes("cannot write JOTTY_TRACES_FILE"))).toHaveLength(1);
  });
});
