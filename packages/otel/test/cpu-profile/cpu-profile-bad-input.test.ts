import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, expect, it, vi } from "vitest";
import { CpuProfiler } from "../../src/cpu-profile/index.js";

const root = mkdtempSync(join(tmpdir(), "jotty-cpu-bad-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.JOTTY_CPU_PROFILE_INTERVAL_US;
});

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

it("reports an unwritable profile directory in one line and keeps going", () => {
  const blocker = join(root, "a-file");
  writeFileSync(blocker, "not a directory");
  const lines = captureStderr();
  const profiler = new CpuProfiler({ dir: join(blocker, "profiles") });
  expect(() => profiler.stop()).not.toThrow();
  expect(() => profiler.writeFile()).not.toThrow();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^@jotty\/otel CPU profile: cannot write .*a-file\/profiles\/.*\.cpuprofile \(set JOTTY_CPU_PROFILE_DIR\): /);
});

it("ignores a bad JOTTY_CPU_PROFILE_INTERVAL_US with one line and samples at the default", () => {
  process.env.JOTTY_CPU_PROFILE_INTERVAL_US = "fast";
  const lines = captureStderr();
  const profiler = new CpuProfiler({ dir: root });
  try {
    expect(profiler.samplingIntervalUs).toBe(1000);
    expect(lines).toEqual(['@jotty/otel CPU profile: JOTTY_CPU_PROFILE_INTERVAL_US="fast" is not a positive number; using the default\n']);
  } finally {
    profiler.stop();
  }
  process.env.JOTTY_CPU_PROFILE_INTERVAL_US = "250";
  const fine = new CpuProfiler({ dir: root });
  expect(fine.samplingIntervalUs).toBe(250);
  fine.stop();
});
