// Telemetry files hold prompts (content capture) and source paths: created 0600 in folders
// created 0700. A traces file path that cannot work (under /proc, or under a file) never blocks
// or breaks the app: one stderr line, and every failed write counts in getExportStats().
import { trace } from "@opentelemetry/api";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { startCpuProfiler, stopCpuProfiler } from "../../src/cpu-profile/index.js";
import { getExportStats } from "../../src/sdk/export-stats.js";
import { shutdown, start } from "../../src/wiring/start.js";
import { useQuietStart } from "../sdk/quiet-start.js";

const root = mkdtempSync(join(tmpdir(), "jotty-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

useQuietStart();

describe("file modes", () => {
  it("JOTTY_TRACES_FILE: file 0600, the folders it creates 0700", async () => {
    const file = join(root, "traces", "deeper", "t.jsonl");
    vi.stubEnv("JOTTY_TRACES_FILE", file);
    start();
    trace.getTracer("t").startSpan("work").end();
    await shutdown();
    expect(existsSync(file)).toBe(true);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(join(root, "traces"))).toBe(0o700);
    expect(modeOf(join(root, "traces", "deeper"))).toBe(0o700);
  });

  it(".cpuprofile: file 0600, the folders it creates 0700", () => {
    const dir = join(root, "profiles", "run");
    const profiler = startCpuProfiler({ dir, attach: false });
    expect(profiler).toBeDefined();
    const path = stopCpuProfiler()!;
    expect(path.startsWith(dir)).toBe(true);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(join(root, "profiles"))).toBe(0o700);
    expect(modeOf(dir)).toBe(0o700);
  });
});

describe("a traces file that cannot be written", () => {
  it("under a file: one stderr line at start, the app's spans still flow, every lost span counted", async () => {
    const blocker = join(root, "a-file");
    writeFileSync(blocker, "");
    const before = getExportStats();
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    start({ tracesFile: join(blocker, "t.jsonl") });
    for (let i = 0; i < 3; i++) trace.getTracer("t").startSpan(`work-${i}`).end();
    await shutdown();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^@jotty\/otel: cannot write JOTTY_TRACES_FILE .*a-file\/t\.jsonl: /);
    const after = getExportStats();
    expect(after.failedFileWrites - before.failedFileWrites).toBeGreaterThanOrEqual(1);
    expect(after.droppedFileSpans - before.droppedFileSpans).toBe(3);
  });

  it.skipIf(process.platform !== "linux")(
    "under /proc (mkdir -p never returns there): start() returns, one line each for the traces file and the CPU profile, exit 0",
    async () => {
      const app = fileURLToPath(new URL("./fixtures/start-and-exit.mjs", import.meta.url));
      const child = spawn(process.execPath, [app], {
        cwd: fileURLToPath(new URL("../../", import.meta.url)),
        env: {
          ...process.env,
          NODE_OPTIONS: "",
          OTEL_TRACES_EXPORTER: "none",
          OTEL_METRICS_EXPORTER: "none",
          JOTTY_TRACES_FILE: "/proc/1/nope/t.jsonl",
          JOTTY_CPU_PROFILE: "1",
          JOTTY_CPU_PROFILE_DIR: "/proc/1/nope/profiles",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      // On the old code the child never exits: end it with the test, whatever its outcome.
      onTestFinished(() => {
        if (child.exitCode === null) child.kill("SIGKILL");
      });
      let stdout = "";
      let stderr = "";
      child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(0);
      const [started, stats] = stdout.trim().split("\n");
      expect(started).toBe("started");
      expect(JSON.parse(stats!)).toEqual({ failedFileWrites: 1, droppedFileSpans: 1 });
      const lines = stderr.trim().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^@jotty\/otel: cannot write JOTTY_TRACES_FILE \/proc\/1\/nope\/t\.jsonl: /);
      expect(lines[1]).toMatch(/^@jotty\/otel CPU profile: cannot write \/proc\/1\/nope\/profiles\/.*\.cpuprofile/);
    },
  );
});
