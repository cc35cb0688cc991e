// The profiler as start() runs it: attached to the SDK's fan-out processor, which sits before the
// exporters, with segments that end in quick succession resolved together at the next read.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { afterAll, expect, it } from "vitest";
import { flushCpuHotspots, getCpuHotspots, getCpuProfiler, startCpuProfiler, stopCpuProfiler } from "../../src/cpu-profile/index.js";
import type { CpuProfile, CpuTopFunction } from "../../src/cpu-profile/index.js";
import { FanOutSpanProcessor } from "../../src/sdk/processor-registry.js";
import { cpuEvent, expectValidCpuProfile, segment } from "./assertions.js";
import { jottyBurnCpuForTest } from "./workloads.js";

const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-pipeline-"));
afterAll(() => {
  stopCpuProfiler();
  rmSync(dir, { recursive: true, force: true });
});

it("enriches spans before a batch exporter sends them, reading once for segments that end close together", async () => {
  const profiler = startCpuProfiler({ dir, serviceName: "pipeline test", readBudget: 0 })!;
  expect(startCpuProfiler()).toBe(profiler); // idempotent
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new FanOutSpanProcessor(), new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000 })],
  });
  const tracer = provider.getTracer("cpu-pipeline-test");

  for (let i = 0; i < 5; i++) segment(tracer, `quick-${i}`, () => jottyBurnCpuForTest(80));
  await provider.forceFlush();

  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(5);
  for (const span of spans) {
    const top = JSON.parse(cpuEvent(span)["jotty.cpu_profile.top_functions"] as string) as CpuTopFunction[];
    expect(top[0]?.function, JSON.stringify(getCpuHotspots(span.spanContext().spanId))).toBe("jottyBurnCpuForTest");
    expect(getCpuHotspots(span.spanContext().spanId)?.topFunctions[0]?.function).toBe("jottyBurnCpuForTest");
  }
  // forceFlush also wrote the profile so far.
  expectValidCpuProfile(JSON.parse(readFileSync(profiler.path, "utf8")) as CpuProfile);
  expect(profiler.path).toContain("pipeline_test-");

  const path = stopCpuProfiler();
  expect(path).toBe(profiler.path);
  expect(getCpuProfiler()?.running).toBe(false);
  expectValidCpuProfile(JSON.parse(readFileSync(path!, "utf8")) as CpuProfile);
  await provider.shutdown();
});

it("reads shortly after a segment ends, not inside span.end(), and the exported span carries the slice", async () => {
  // A budget that every read fits in: under load a read can take milliseconds, and the default
  // budget would then rightly push the next read tens of ms out.
  const profiler = startCpuProfiler({ dir, serviceName: "next turn", readBudget: 1 })!;
  const seenAtEnd: boolean[] = [];
  const nextProcessor: SpanProcessor = {
    onStart: () => {},
    onEnd: (span: ReadableSpan) => seenAtEnd.push(span.events.some((e) => e.name === "jotty.cpu_profile")),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new FanOutSpanProcessor(), nextProcessor, new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("cpu-budget-test");
  for (let i = 0; i < 3; i++) {
    segment(tracer, `step-${i}`, () => jottyBurnCpuForTest(30));
    await profiler.settled();
    const span = exporter.getFinishedSpans().at(-1)!;
    expect(span.name).toBe(`step-${i}`);
    expect(span.events.map((e) => e.name)).toContain("jotty.cpu_profile");
  }
  expect(seenAtEnd).toEqual([false, false, false]);

  // flushCpuHotspots() resolves at once, for a report built right after a segment ends.
  segment(tracer, "last", () => jottyBurnCpuForTest(30));
  expect(exporter.getFinishedSpans().at(-1)!.events).toEqual([]);
  flushCpuHotspots();
  expect(
    exporter
      .getFinishedSpans()
      .at(-1)!
      .events.map((e) => e.name),
  ).toEqual(["jotty.cpu_profile"]);
  expect(stopCpuProfiler()).toBe(profiler.path);
  expect(() => flushCpuHotspots()).not.toThrow(); // off: nothing to do
  await provider.shutdown();
});
