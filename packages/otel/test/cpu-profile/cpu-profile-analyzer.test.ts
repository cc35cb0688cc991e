// The CPU slices survive the trip a real trace takes: OTLP JSON (as the Collector file exporter
// and JOTTY_TRACES_FILE write it) → the analyzer's file source → CPU hot spots per operation.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { readTraceFile, WarningLog, type Span } from "@jotty/analyzer";
import { afterAll, expect, it } from "vitest";
import { cpuHotspotsByOperation } from "@jotty/engine/engine";
import { CpuProfiler } from "../../src/cpu-profile/index.js";
import { jottyBurnCpuForTest } from "./workloads.js";

const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-analyzer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("shows each operation's CPU hot spots from an OTLP JSON traces file", async () => {
  const profiler = new CpuProfiler({ dir, serviceName: "analyzer-trip", readBudget: 1 });
  const exporter = new InMemorySpanExporter();
  const tracer = new TracerProvider({ spanProcessors: [profiler, new SimpleSpanProcessor({ exporter })] }).getTracer("t");
  try {
    for (let i = 0; i < 2; i++) {
      const check = tracer.startSpan("check-solution");
      jottyBurnCpuForTest(80);
      check.end();
      const call = tracer.startSpan("ask-model");
      await sleep(60);
      call.end();
    }
  } finally {
    profiler.stop();
  }
  const file = join(dir, "traces.jsonl");
  writeFileSync(file, Buffer.from(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())!).toString("utf8") + "\n");

  const spans: Span[] = [];
  const warnings = new WarningLog();
  await readTraceFile(file, (span) => spans.push(span), warnings);
  expect(warnings.lines()).toEqual([]);
  expect(spans).toHaveLength(4);

  // A loaded machine may run a long GC inside any window, so only the functions are compared.
  const rows = cpuHotspotsByOperation(spans);
  const busy = rows.find((r) => r.name === "check-solution")!;
  expect(busy.segments).toBe(2);
  expect(busy.topFunctions[0], JSON.stringify(rows)).toMatchObject({ function: "jottyBurnCpuForTest", segments: 2 });
  expect(busy.topFunctions[0]!.location).toMatch(/workloads\.ts:4$/);
  expect(busy.profiles).toEqual([profiler.path]);
  const wait = rows.find((r) => r.name === "ask-model");
  // The burn belongs to check-solution. On a loaded machine a sample or two at the boundary can
  // land in the next window (it flaked so once in the full suite), so a sliver is tolerated.
  const leaked = wait?.topFunctions.find((f) => f.function === "jottyBurnCpuForTest");
  expect(leaked?.selfMs ?? 0, JSON.stringify(rows)).toBeLessThan(busy.topFunctions[0]!.selfMs * 0.1);
  // The profiler's own reads land in the following window and are left out of it.
  expect(wait?.topFunctions.map((f) => f.location).join(" ") ?? "").not.toContain("/src/cpu-profile/");
});
