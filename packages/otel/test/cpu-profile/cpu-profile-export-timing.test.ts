// An exporter whose timer fires between a segment's end and the profiler's read (a loaded
// machine delays the read; the traces file flushes 200 ms after its first span) must still write
// the segment with its slice: the exporters settle ended spans before they serialize.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, expect, it } from "vitest";
import { startCpuProfiler, stopCpuProfiler } from "../../src/cpu-profile/index.js";
import { FanOutSpanProcessor } from "../../src/sdk/processor-registry.js";
import { TracesFileProcessor } from "../../src/sdk/traces-file.js";
import { segment } from "./assertions.js";
import { jottyBurnCpuForTest } from "./workloads.js";

const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-export-"));
afterAll(() => {
  stopCpuProfiler();
  rmSync(dir, { recursive: true, force: true });
});

it("a traces-file write right after a segment ends carries the segment's CPU slice", async () => {
  startCpuProfiler({ dir, serviceName: "export timing" });
  const file = new TracesFileProcessor(join(dir, "traces.jsonl"), 60_000);
  const provider = new TracerProvider({ spanProcessors: [new FanOutSpanProcessor(), file] });
  const tracer = provider.getTracer("cpu-export-timing-test");

  segment(tracer, "burn", () => jottyBurnCpuForTest(80));
  // In the same turn as span.end(), before the profiler's own read could run.
  file.flushSync();

  const line = JSON.parse(readFileSync(join(dir, "traces.jsonl"), "utf8").trim());
  const span = line.resourceSpans[0].scopeSpans[0].spans[0];
  expect(span.name).toBe("burn");
  const event = span.events.find((e: { name: string }) => e.name === "jotty.cpu_profile");
  expect(event, "the written span has its jotty.cpu_profile event").toBeDefined();
  const top = event.attributes.find((a: { key: string }) => a.key === "jotty.cpu_profile.top_functions");
  expect(JSON.parse(top.value.stringValue)[0].function).toBe("jottyBurnCpuForTest");
  await provider.shutdown();
});
