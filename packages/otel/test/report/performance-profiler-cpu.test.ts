// printReport()/getReport() show the CPU profiler's hot spots per segment (issue 7).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startCpuProfiler, stopCpuProfiler } from "../../src/cpu-profile/index.js";
import { PerformanceProfiler } from "../../src/report/performance-profiler.js";
import { profile } from "../../src/segments/profile.js";
import { installHarness } from "../otel-harness.js";
import { jottySegmentBusyLoop } from "./fixtures/cpu-workload.js";

const h = installHarness();
beforeEach(() => h.reset());

const workloadFile = fileURLToPath(new URL("./fixtures/cpu-workload.ts", import.meta.url));
const workloadLine =
  readFileSync(workloadFile, "utf8")
    .split("\n")
    .findIndex((line) => line.startsWith("export function jottySegmentBusyLoop")) + 1;
// ~150 ms on an idle core; the test checks the work was done, never how long it took.
const ITERATIONS = 25_000_000;
const CHECKSUM = -1518786143;
const SMALL = ITERATIONS / 5;
const SMALL_CHECKSUM = 249181473;

const dir = mkdtempSync(join(tmpdir(), "jotty-segments-cpu-"));
// Started before the workload is first compiled: V8 only maps inlined code it compiled while profiling.
const cpu = startCpuProfiler({ dir, serviceName: "segments-cpu-test" });
afterAll(() => {
  stopCpuProfiler();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function printed(profiler: PerformanceProfiler): string {
  let out = "";
  const returned = profiler.printReport({ write: (text) => (out += text) });
  expect(out).toBe(returned);
  return out;
}

describe("PerformanceProfiler with the CPU profiler", () => {
  it("names the CPU-bound function as the segment's top hot spot, in getReport() and printReport()", () => {
    expect(cpu?.running).toBe(true);
    using profiler = new PerformanceProfiler();
    const checksum = profile("crunch", () => jottySegmentBusyLoop(ITERATIONS));
    expect(checksum).toBe(CHECKSUM);

    // No waiting: getReport() slices the segment that just ended itself.
    const report = profiler.getReport();
    const crunch = report.cpuHotspots?.find((op) => op.name === "crunch");
    expect(crunch, JSON.stringify(report.cpuHotspots)).toBeDefined();
    const top = crunch!.topFunctions[0]!;
    expect(top.function, JSON.stringify(crunch)).toBe("jottySegmentBusyLoop");
    expect(top.location).toBe(`${workloadFile}:${workloadLine}`);
    expect(top.selfMs).toBeGreaterThan(0);
    expect(top.share).toBeGreaterThan(0);
    expect(crunch!.segments).toBe(1);
    expect(crunch!.overlappingSegments).toBe(0);
    expect(crunch!.profiles).toEqual([cpu!.path]);
    expect(report.report.cpuHotspots).toBe(report.cpuHotspots);

    const text = printed(profiler);
    const section = text.slice(text.indexOf("CPU hot spots"));
    expect(text).toContain("CPU hot spots");
    expect(section).toMatch(/^CPU hot spots \(JOTTY_CPU_PROFILE\)\n {2}Operation +CPU +CPU share +Function +Self +Location\n/);
    expect(section).toMatch(/^ {2}crunch +\S+ m?s +\d+(\.\d)? % +jottySegmentBusyLoop +\S+ m?s +(\S+)$/m);
    expect(section).toContain(`  ${workloadFile}:${workloadLine}\n`);
    expect(section).not.toContain("overlapped");
    expect(section).toContain(`  Profile: ${cpu!.path} (open in speedscope or Chrome DevTools)\n`);
  });

  it("says where segments overlapped in time and so share samples", async () => {
    using profiler = new PerformanceProfiler();
    const side = async (name: string) =>
      profile(name, async () => {
        await tick();
        expect(jottySegmentBusyLoop(SMALL)).toBe(SMALL_CHECKSUM);
      });
    await profile("parallel", () => Promise.all([side("left"), side("right")]));

    const report = profiler.getReport();
    const left = report.cpuHotspots?.find((op) => op.name === "left");
    const right = report.cpuHotspots?.find((op) => op.name === "right");
    expect(left?.overlappingSegments, JSON.stringify(report.cpuHotspots)).toBe(1);
    expect(right?.overlappingSegments).toBe(1);
    // A parent contains its children: it does not overlap them.
    expect(report.cpuHotspots?.find((op) => op.name === "parallel")?.overlappingSegments).toBe(0);

    const text = printed(profiler);
    expect(text).toMatch(/^ {2}left: its segment overlapped other segments \(samples shared, counted in each\)$/m);
    expect(text).toMatch(/^ {2}right: its segment overlapped other segments/m);
    expect(text).not.toMatch(/^ {2}parallel: .*overlapped/m);
  });

  it("has no CPU section when the CPU profiler is not running", () => {
    stopCpuProfiler();
    using profiler = new PerformanceProfiler();
    expect(profile("crunch", () => jottySegmentBusyLoop(SMALL))).toBe(SMALL_CHECKSUM);

    const report = profiler.getReport();
    expect(report.spans).toBe(1);
    expect(report.cpuHotspots).toBeUndefined();
    expect(report.report.cpuHotspots).toBeUndefined();
    expect(printed(profiler)).not.toContain("CPU hot spots");
  });
});
