// A segment's window must end where the segment ended, even when the profiler's onStart ran
// late (another processor before it was slow, or a GC hit between the span's constructor and
// onStart): back-to-back siblings are then not "overlapping".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { context, trace, type Context } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { afterAll, describe, expect, it } from "vitest";
import { CpuProfiler } from "../../src/cpu-profile/index.js";
import { jottyBurnCpuForTest } from "./workloads.js";

/** A processor that holds up every onStart for `ms` of CPU, as a slow peer processor would. */
class SlowStart implements SpanProcessor {
  constructor(private readonly ms: number) {}
  onStart(_span: Span, _parent: Context): void {
    jottyBurnCpuForTest(this.ms);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-late-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CPU profile windows when onStart runs late", () => {
  it("back-to-back siblings are not flagged as overlapping", async () => {
    const profiler = new CpuProfiler({ dir, serviceName: "late-start", readBudget: 1 });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SlowStart(20), profiler, new SimpleSpanProcessor({ exporter })] });
    const tracer = provider.getTracer("late-start-test");
    try {
      const root = tracer.startSpan("run");
      const parent = trace.setSpan(context.active(), root);
      for (const name of ["first", "second", "third"]) {
        const span = tracer.startSpan(name, {}, parent);
        jottyBurnCpuForTest(5);
        span.end();
      }
      root.end();
      await profiler.settled();
      const flags = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.attributes["jotty.cpu_profile.overlapping"]]));
      expect(flags).toEqual({ first: false, second: false, third: false, run: false });
    } finally {
      profiler.stop();
      await provider.shutdown();
    }
  });
});
