import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CpuProfiler, formatCpuHotspots } from "../../src/cpu-profile/index.js";
import type { CpuProfile, CpuTopFunction } from "../../src/cpu-profile/index.js";
import { cpuEvent, expectValidCpuProfile, segment } from "./assertions.js";
import { jottyBurnCpuForTest } from "./workloads.js";

// One profiler for the whole file, as in an app: V8 only knows which functions were inlined
// into optimized code compiled while a profile runs (see the README), so a profiler started
// after earlier tests warmed the workload up would credit it to its callers.
const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-"));
const profiler = new CpuProfiler({ dir, serviceName: "cpu-test", readBudget: 1 });
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [profiler, new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer("cpu-profile-test");
afterEach(() => exporter.reset());
afterAll(() => {
  profiler.stop();
  rmSync(dir, { recursive: true, force: true });
});

function exported(exporter: InMemorySpanExporter, name: string): ReadableSpan {
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  expect(span, `span ${name} exported`).toBeDefined();
  return span!;
}

describe("CPU profiler sliced by segments", () => {
  it("names a CPU-bound function as the top function of its segment, on the exported span", async () => {
    segment(tracer, "burn", () => jottyBurnCpuForTest(150));
    await profiler.settled(); // the slice is computed shortly after the segment ends

    const span = exported(exporter, "burn");
    const attributes = cpuEvent(span);
    const top = JSON.parse(attributes["jotty.cpu_profile.top_functions"] as string) as CpuTopFunction[];
    expect(top[0]!.function).toBe("jottyBurnCpuForTest");
    expect(top[0]!.location).toMatch(/workloads\.ts:4$/);
    expect(top[0]!.share).toBeGreaterThan(0.5);
    expect(top[0]!.selfMs).toBeGreaterThan(75);
    expect((attributes["jotty.cpu_profile.functions"] as string[])[0]).toBe("jottyBurnCpuForTest");
    expect(attributes["jotty.cpu_profile.cpu_ms"] as number).toBeGreaterThan(75);
    expect(span.attributes["jotty.cpu_profile.path"]).toBe(profiler.path);
    expect(span.attributes["jotty.cpu_profile.overlapping"]).toBe(false);

    const hotspots = profiler.getHotspots(span.spanContext().spanId)!;
    expect(hotspots.topFunctions[0]!.function).toBe("jottyBurnCpuForTest");
    expect(hotspots.sampleLast).toBeGreaterThan(hotspots.sampleFirst);
    expect(span.attributes["jotty.cpu_profile.sample_first"]).toBe(hotspots.sampleFirst);
    expect(span.attributes["jotty.cpu_profile.sample_last"]).toBe(hotspots.sampleLast);

    // What printReport() shows for this segment.
    const lines = formatCpuHotspots(hotspots).split("\n");
    expect(lines[0]).toBe("  CPU hot spots (JOTTY_CPU_PROFILE)");
    expect(lines[1]).toMatch(/^ {4}Operation +CPU +CPU share +Function +Self +Location$/);
    expect(lines[2]).toMatch(/^ {4}burn +\d+ ms +\d+(\.\d)? % +jottyBurnCpuForTest +\d+(\.\d)? ms +\S*workloads\.ts:4$/);
    expect(lines.at(-1)).toBe(`    Profile: ${profiler.path} (open in speedscope or Chrome DevTools)`);
  });

  it("finds almost no CPU samples in a segment that only awaits", async () => {
    const span = tracer.startSpan("idle");
    await sleep(300);
    span.end();
    segment(tracer, "busy", () => jottyBurnCpuForTest(100));

    const idle = profiler.getHotspots(exported(exporter, "idle").spanContext().spanId)!;
    const busy = profiler.getHotspots(exported(exporter, "busy").spanContext().spanId)!;
    expect(idle.durationMs).toBeGreaterThanOrEqual(299);
    // A loaded machine may run a long GC inside any window; the code itself hardly runs.
    const codeMs = idle.topFunctions.filter((f) => f.function !== "(garbage collector)").reduce((sum, f) => sum + f.selfMs, 0);
    expect(codeMs, JSON.stringify(idle)).toBeLessThan(idle.durationMs * 0.1);
    expect(busy.cpuSamples).toBeGreaterThan(idle.cpuSamples * 3);
    // The burn right after belongs to "busy"; a boundary sample may slip across on a loaded machine.
    const burn = (h: typeof idle) => h.topFunctions.find((f) => f.function === "jottyBurnCpuForTest")?.selfMs ?? 0;
    expect(burn(idle), JSON.stringify(idle)).toBeLessThan(burn(busy) * 0.1);
  });

  it("attributes a nested segment's work to it and its parent, without calling that overlap", () => {
    const parent = tracer.startSpan("parent");
    const parentContext = trace.setSpan(context.active(), parent);
    segment(tracer, "child", () => jottyBurnCpuForTest(80), parentContext);
    parent.end();

    const child = profiler.getHotspots(exported(exporter, "child").spanContext().spanId)!;
    const outer = profiler.getHotspots(exported(exporter, "parent").spanContext().spanId)!;
    expect(child.topFunctions[0]!.function).toBe("jottyBurnCpuForTest");
    expect(outer.topFunctions[0]!.function).toBe("jottyBurnCpuForTest");
    expect(child.overlapping).toBe(false);
    expect(outer.overlapping).toBe(false);
  });

  it("flags segments that run at the same time as sharing samples", async () => {
    const run = async (name: string) => {
      const span = tracer.startSpan(name);
      await sleep(20);
      jottyBurnCpuForTest(50);
      await sleep(20);
      span.end();
    };
    await Promise.all([run("a"), run("b")]);
    const solo = tracer.startSpan("solo");
    solo.end();
    await profiler.settled();

    for (const name of ["a", "b"]) {
      const span = exported(exporter, name);
      expect(span.attributes["jotty.cpu_profile.overlapping"]).toBe(true);
      expect(cpuEvent(span)["jotty.cpu_profile.overlapping"]).toBe(true);
      const hotspots = profiler.getHotspots(span.spanContext().spanId)!;
      expect(hotspots.topFunctions[0]!.function).toBe("jottyBurnCpuForTest");
      expect(formatCpuHotspots(hotspots)).toContain(`${name}: its segment overlapped other segments (samples shared, counted in each)`);
    }
    expect(exported(exporter, "solo").attributes["jotty.cpu_profile.overlapping"]).toBe(false);
  });

  it("writes one profile that parses as a valid .cpuprofile, covering every segment", async () => {
    segment(tracer, "one", () => jottyBurnCpuForTest(80));
    await sleep(30);
    segment(tracer, "two", () => jottyBurnCpuForTest(80));
    const path = profiler.stop();

    expect(existsSync(path)).toBe(true);
    expect(path).toMatch(/cpu-test-\d+-\d{8}T\d{6}Z\.cpuprofile$/);
    const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
    expectValidCpuProfile(profile);
    // The spans' sample ranges index into this very file.
    for (const name of ["one", "two"]) {
      const span = exported(exporter, name);
      const first = span.attributes["jotty.cpu_profile.sample_first"] as number;
      const last = span.attributes["jotty.cpu_profile.sample_last"] as number;
      expect(last).toBeGreaterThan(first);
      expect(last).toBeLessThan(profile.samples.length);
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const names = profile.samples.slice(first, last + 1).map((id) => byId.get(id)!.callFrame.functionName);
      expect(names).toContain("jottyBurnCpuForTest");
    }
  });
});
