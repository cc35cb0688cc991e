// Real processes: `node --import @jotty/otel/register app.mjs` on the built dist/ (pnpm test builds
// first; run `flock /tmp/jotty-build.lock pnpm build` before running this file alone).
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const distRegister = fileURLToPath(new URL("../../dist/register.js", import.meta.url));

/** signal-exit as log-update loads it (log-update → cli-cursor → restore-cursor → signal-exit). */
function resolveSignalExit(): string {
  let require = createRequire(import.meta.url);
  for (const dep of ["log-update", "cli-cursor", "restore-cursor"]) require = createRequire(require.resolve(dep));
  return require.resolve("signal-exit");
}

interface FileSpan {
  spanId: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

interface Run {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first stdout line matching, in order of arrival. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function runApp(mode: string, env: Record<string, string>, app = "agent-app.mjs"): Run {
  const child = spawn(process.execPath, ["--import", "@jotty/otel/register", join(fixtures, app)], {
    cwd: fixtures,
    env: { ...process.env, NODE_OPTIONS: "", APP_MODE: mode, OTEL_METRICS_EXPORTER: "none", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) {
      if (w.match(line)) w.resolve(line);
      else waiters.push(w);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine: (match) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(match);
        if (seen !== undefined) return resolve(seen);
        waiters.push({ match, resolve });
        void exited.then(() => reject(new Error(`app exited before the line; stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`)));
      }),
  };
}

function endedIds(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith("ended ")).flatMap((l) => JSON.parse(l.slice(6)) as string[]);
}

/** The spans the app reported ended that are not among `ids` (expected: none). */
function missingFrom(run: Run, ids: Set<string>): string[] {
  return endedIds(run.lines).filter((id) => !ids.has(id));
}

function fileIds(file: string): Set<string> {
  return new Set(fileSpans(file).map((s) => s.spanId));
}

function fileSpans(file: string): FileSpan[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .flatMap((l) => {
      const doc = JSON.parse(l) as { resourceSpans: { scopeSpans: { spans: FileSpan[] }[] }[] };
      return doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    });
}

/**
 * An OTLP/HTTP JSON receiver on a free port, standing in for the collector. The first
 * `unavailableTimes` trace requests are answered 503 (retryable) and not recorded.
 */
async function startCollector(
  unavailableTimes = 0,
): Promise<{ url: string; spanIds: Set<string>; metricNames: Set<string>; tokens: string[]; server: Server; traceRequests: () => number }> {
  const spanIds = new Set<string>();
  const metricNames = new Set<string>();
  const tokens: string[] = [];
  let traceRequests = 0;
  const server = createServer((req, res) => {
    tokens.push(String(req.headers["x-test-token"]));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces" && ++traceRequests <= unavailableTimes) {
        res.writeHead(503).end();
        return;
      }
      if (req.url === "/v1/metrics") {
        const doc = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] };
        for (const r of doc.resourceMetrics) for (const s of r.scopeMetrics) for (const m of s.metrics) metricNames.add(m.name);
      }
      if (req.url === "/v1/traces") {
        const doc = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { resourceSpans: { scopeSpans: { spans: FileSpan[] }[] }[] };
        for (const r of doc.resourceSpans) for (const s of r.scopeSpans) for (const sp of s.spans) spanIds.add(sp.spanId);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spanIds, tokens, server, metricNames, traceRequests: () => traceRequests };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("real process with --import @jotty/otel/register", () => {
  let dir: string;
  const servers: Server[] = [];
  const children: ChildProcess[] = [];

  beforeAll(() => {
    if (!existsSync(distRegister)) throw new Error("packages/otel/dist is missing: run `pnpm build` first");
  });

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await Promise.all(
      servers.splice(0).map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newTracesFile = () => {
    dir = mkdtempSync(join(tmpdir(), "jotty-real-"));
    return join(dir, "out", "traces.jsonl");
  };

  /** runApp, with the child killed after the test if it is still running. */
  const start: typeof runApp = (...args) => {
    const run = runApp(...args);
    children.push(run.child);
    return run;
  };

  /** startCollector, closed after the test. */
  const collectorOn = async (unavailableTimes = 0) => {
    const collector = await startCollector(unavailableTimes);
    servers.push(collector.server);
    return collector;
  };

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} mid-run: every ended span is in the file, the exit is prompt and by the signal`, async () => {
      const file = newTracesFile();
      const endpoint = await closedPortUrl();
      const run = start("loop", { JOTTY_TRACES_FILE: file, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      await run.waitForLine((l) => endedIds([l]).length > 0 && endedIds(run.lines).length >= 3 * 6);
      const killedAt = performance.now();
      run.child.kill(signal);
      const exit = await run.exited;

      expect(exit.signal).toBe(signal);
      expect(exit.code).toBeNull();
      // Well under the 5 s flush bound: a refused connection must not cost it (slack for a loaded CI).
      expect(exit.at - killedAt).toBeLessThan(3000);
      const ended = endedIds(run.lines);
      expect(ended.length).toBeGreaterThanOrEqual(18);
      expect(missingFrom(run, fileIds(file))).toEqual([]);
      const spans = fileSpans(file);
      expect(spans.some((s) => s.name === "llm_call" && s.attributes.some((a) => a.key === "gen_ai.usage.input_tokens"))).toBe(true);
      // The collector is not there: exactly one line says so, naming the endpoint.
      const warnings = run
        .stderr()
        .split("\n")
        .filter((l) => l.includes("cannot export spans"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`${endpoint}/v1/traces`);
    });
  }

  it("SIGTERM with signal-exit loaded (log-update on a TTY): its cleanup runs and the process still ends by the signal", async () => {
    const file = newTracesFile();
    const run = start("loop", { JOTTY_TRACES_FILE: file, OTEL_TRACES_EXPORTER: "none", SIGNAL_EXIT_PATH: resolveSignalExit() });
    await run.waitForLine((l) => l.startsWith("ended "));
    const killedAt = performance.now();
    run.child.kill("SIGTERM");
    const exit = await run.exited;
    expect(exit.signal).toBe("SIGTERM");
    expect(exit.at - killedAt).toBeLessThan(3000);
    expect(run.lines).toContain("signal-exit cleanup SIGTERM");
    expect(missingFrom(run, fileIds(file))).toEqual([]);
  });

  // Regression: the signal re-sent for signal-exit reached it one event-loop turn later, and spans
  // ending in that turn were lost (this app ends one on every turn).
  it("SIGTERM with signal-exit loaded: no span that ends while the process goes down is lost", async () => {
    const file = newTracesFile();
    const endedIdsFile = join(dir, "ended-ids.txt");
    const run = start("every-turn", {
      JOTTY_TRACES_FILE: file,
      OTEL_TRACES_EXPORTER: "none",
      SIGNAL_EXIT_PATH: resolveSignalExit(),
      ENDED_IDS_FILE: endedIdsFile,
    });
    await run.waitForLine((l) => l.startsWith("ended "));
    run.child.kill("SIGTERM");
    const exit = await run.exited;
    expect(exit.signal).toBe("SIGTERM");
    expect(run.lines).toContain("signal-exit cleanup SIGTERM");
    const ended = readFileSync(endedIdsFile, "utf8")
      .split("\n")
      .filter((id) => id !== "");
    expect(ended.length).toBeGreaterThan(0);
    const written = fileIds(file);
    expect(ended.filter((id) => !written.has(id))).toEqual([]);
  });

  it("an app with its own SIGTERM handler: the handler runs and the app decides how it ends", async () => {
    const file = newTracesFile();
    const run = start("handler", { JOTTY_TRACES_FILE: file, OTEL_TRACES_EXPORTER: "none" });
    await run.waitForLine((l) => l.startsWith("ended "));
    run.child.kill("SIGTERM");
    await run.waitForLine((l) => l === "handler");
    const exit = await run.exited;
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(7);
    expect(run.lines).toContain("done");
    expect(missingFrom(run, fileIds(file))).toEqual([]);
  });

  it("a normal end: exit code 0, spans in the file and delivered over OTLP/HTTP before exit", async () => {
    const file = newTracesFile();
    const collector = await collectorOn();
    const run = start("finite", {
      JOTTY_TRACES_FILE: file,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    });
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    const ended = endedIds(run.lines);
    expect(ended).toHaveLength(3 * 6);
    expect(missingFrom(run, fileIds(file))).toEqual([]);
    expect(missingFrom(run, collector.spanIds)).toEqual([]);
    expect(run.stderr()).not.toContain("cannot export spans");
  });

  it("process.exit(3): exit code 3 is kept, spans reach the file and the collector from the exit hook", async () => {
    const file = newTracesFile();
    const collector = await collectorOn();
    const run = start("exit3", {
      JOTTY_TRACES_FILE: file,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_HEADERS: "x-test-token=abc",
    });
    const exit = await run.exited;
    expect(exit.code).toBe(3);
    const ended = endedIds(run.lines);
    expect(ended).toHaveLength(3 * 6);
    expect(missingFrom(run, fileIds(file))).toEqual([]);
    expect(missingFrom(run, collector.spanIds)).toEqual([]);
    // OTEL_EXPORTER_OTLP_HEADERS reach the collector on the synchronous path too.
    expect(collector.tokens.length).toBeGreaterThan(0);
    expect(collector.tokens.every((t) => t === "abc")).toBe(true);
  });

  it("importing the register twice (--import and in the app) starts the SDK once", async () => {
    const file = newTracesFile();
    const run = start("finite", { JOTTY_TRACES_FILE: file, OTEL_TRACES_EXPORTER: "none" }, "register-twice-app.mjs");
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    expect(run.lines).toContain("sigterm-listeners 1");
    expect(fileSpans(file).map((s) => s.name)).toEqual(["only-once"]);
  });

  it("a normal end with the collector down does not wait out the exporters: one warning, prompt exit", async () => {
    const file = newTracesFile();
    const endpoint = await closedPortUrl();
    const run = start("finite", { JOTTY_TRACES_FILE: file, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRICS_EXPORTER: "otlp" });
    const doneAt = await run.waitForLine((l) => l === "done").then(() => performance.now());
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    // The default flush bound is 5 s; a refused connection must not cost it.
    expect(exit.at - doneAt).toBeLessThan(3000);
    expect(
      run
        .stderr()
        .split("\n")
        .filter((l) => l.includes("cannot export spans")),
    ).toHaveLength(1);
    expect(missingFrom(run, fileIds(file))).toEqual([]);
  });

  // Regression: the OTLP exporters retry ECONNREFUSED for up to 10 s, and those retries (with the
  // batch processor's and metric reader's export timers) held a finished app for ~9 s.
  describe("the collector down while the SDK's exports are being retried", () => {
    const downEnv = async (file: string) => ({
      JOTTY_TRACES_FILE: file,
      OTEL_EXPORTER_OTLP_ENDPOINT: await closedPortUrl(),
      OTEL_METRICS_EXPORTER: "otlp",
      // Scheduled span and metric exports fail, and start retrying, while the app still works.
      OTEL_BSP_SCHEDULE_DELAY: "20",
      OTEL_METRIC_EXPORT_INTERVAL: "50",
      APP_PAUSE_MS: "150",
    });

    it("a normal end: the process exits promptly after the app's work, code 0, spans in the file", async () => {
      const file = newTracesFile();
      const run = start("finite", await downEnv(file));
      const doneAt = await run.waitForLine((l) => l === "done").then(() => performance.now());
      const exit = await run.exited;
      expect(exit.code).toBe(0);
      // ~9 s before the fix; generous bound for a loaded machine.
      expect(exit.at - doneAt).toBeLessThan(3000);
      const ended = endedIds(run.lines);
      expect(ended).toHaveLength(3 * 6);
      expect(missingFrom(run, fileIds(file))).toEqual([]);
      expect(
        run
          .stderr()
          .split("\n")
          .filter((l) => l.includes("cannot export spans")),
      ).toHaveLength(1);
    });

    it("shutdown() from the app: it resolves and the process exits promptly, spans in the file", async () => {
      const file = newTracesFile();
      const run = start("shutdown", await downEnv(file));
      const doneAt = await run.waitForLine((l) => l === "done").then(() => performance.now());
      const exit = await run.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - doneAt).toBeLessThan(3000);
      expect(missingFrom(run, fileIds(file))).toEqual([]);
    });
  });

  it("a normal end with OTLP metrics: the LLM metrics reach the collector before exit", async () => {
    const collector = await collectorOn();
    const run = start("finite", {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_METRICS_EXPORTER: "otlp",
    });
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    expect([...collector.metricNames]).toEqual(expect.arrayContaining(["gen_ai.client.operation.duration", "gen_ai.client.token.usage"]));
    expect(missingFrom(run, collector.spanIds)).toEqual([]);
  });

  it("a collector that answers 503 once: the retry still delivers every span before a normal exit", async () => {
    const collector = await collectorOn(1);
    const run = start("finite", { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    expect(collector.traceRequests()).toBeGreaterThanOrEqual(2);
    const ended = endedIds(run.lines);
    expect(ended).toHaveLength(3 * 6);
    expect(missingFrom(run, collector.spanIds)).toEqual([]);
    expect(run.stderr()).not.toContain("cannot export spans");
  });

  it("OTEL_SDK_DISABLED=true: the app runs as without us and nothing is written", async () => {
    const file = newTracesFile();
    const run = start("exit3", { JOTTY_TRACES_FILE: file, OTEL_SDK_DISABLED: "true" });
    const exit = await run.exited;
    expect(exit.code).toBe(3);
    expect(run.lines).toContain("done");
    expect(existsSync(file)).toBe(false);
    expect(run.stderr()).toBe("");
  });

  describe("a collector that accepts connections but never answers", () => {
    const hangingCollector = async () => {
      const server = createServer(() => {});
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };

    it("normal end: the flush is bounded by JOTTY_EXIT_FLUSH_TIMEOUT_MS and the exit code kept", async () => {
      const file = newTracesFile();
      const run = start("finite", {
        JOTTY_TRACES_FILE: file,
        OTEL_EXPORTER_OTLP_ENDPOINT: await hangingCollector(),
        JOTTY_EXIT_FLUSH_TIMEOUT_MS: "1000",
      });
      const done = await run.waitForLine((l) => l === "done").then(() => performance.now());
      const exit = await run.exited;
      expect(exit.code).toBe(0);
      // The flush waited for the hanging collector up to its 1 s bound (we may read "done" late on
      // a loaded CI, which shortens the measured wait: hence 600), and not the 5 s default.
      expect(exit.at - done).toBeGreaterThanOrEqual(600);
      expect(exit.at - done).toBeLessThan(4000);
      expect(missingFrom(run, fileIds(file))).toEqual([]);
    });

    it("SIGTERM: the flush is bounded and the process still ends by the signal", async () => {
      const file = newTracesFile();
      const run = start("loop", {
        JOTTY_TRACES_FILE: file,
        OTEL_EXPORTER_OTLP_ENDPOINT: await hangingCollector(),
        JOTTY_EXIT_FLUSH_TIMEOUT_MS: "700",
      });
      await run.waitForLine((l) => l.startsWith("ended "));
      const killedAt = performance.now();
      run.child.kill("SIGTERM");
      const exit = await run.exited;
      expect(exit.signal).toBe("SIGTERM");
      expect(exit.at - killedAt).toBeLessThan(4000);
      expect(missingFrom(run, fileIds(file))).toEqual([]);
    });
  });
});
