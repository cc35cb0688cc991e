import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, describe, expect, it } from "vitest";
import { cpuHotspotsByOperation } from "@jotty/engine/engine";
import type { Attributes, Span } from "@jotty/engine";
import { CpuProfiler } from "../../src/cpu-profile/index.js";

// Spans made by the real CPU profiler on the real SDK, seen through the neutral model.
const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-hotspots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hrToNs(t: [number, number]): number {
  return t[0] * 1e9 + t[1];
}

function toModel(span: ReadableSpan): Span {
  const ctx = span.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    name: span.name,
    kind: "INTERNAL",
    startNs: hrToNs(span.startTime),
    endNs: hrToNs(span.endTime),
    status: { code: "UNSET" },
    attributes: span.attributes as Attributes,
    resource: {},
    events: span.events.map((e) => ({ name: e.name, timeNs: hrToNs(e.time), attributes: (e.attributes ?? {}) as Attributes })),
  };
}

// A fixed amount of work (~75 ms of CPU on the 2-core CI machine), not a wall-clock deadline:
// on a loaded machine a deadline loop gets too little CPU for the sampled figures below.
function jottyHotspotValidate(rounds: number): number {
  let x = 1;
  for (let r = 0; r < rounds; r++) for (let i = 0; i < 100_000; i++) x = (x * 48271) % 2147483647;
  return x;
}

async function profiledRun(): Promise<Span[]> {
  const profiler = new CpuProfiler({ dir, serviceName: "hotspots", readBudget: 1 });
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [profiler, new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer("hotspots-test");
  try {
    const root = tracer.startSpan("agent-run");
    const rootContext = trace.setSpan(context.active(), root);
    for (let i = 0; i < 3; i++) {
      const validate = tracer.startSpan("validate-code", {}, rootContext);
      jottyHotspotValidate(40);
      validate.end();
      const wait = tracer.startSpan("wait-for-llm", {}, rootContext);
      await sleep(40);
      wait.end();
    }
    root.end();
  } finally {
    profiler.stop();
  }
  return exporter.getFinishedSpans().map(toModel);
}

describe("cpuHotspotsByOperation", () => {
  it("ranks operations by sampled CPU and names each one's top function, from a real profile", async () => {
    const rows = cpuHotspotsByOperation(await profiledRun());

    const validate = rows.find((r) => r.name === "validate-code")!;
    expect(validate.segments).toBe(3);
    expect(validate.topFunctions[0]!.function).toBe("jottyHotspotValidate");
    expect(validate.topFunctions[0]!.location).toMatch(/cpu-hotspots\.test\.ts:\d+$/);
    expect(validate.topFunctions[0]!.segments).toBe(3);
    expect(validate.topFunctions[0]!.selfMs).toBeGreaterThan(60);
    expect(validate.cpuShare).toBeGreaterThan(0.5);
    expect(validate.profiles).toHaveLength(1);
    expect(validate.profiles[0]).toMatch(/\.cpuprofile$/);
    expect(validate.overlappingSegments).toBe(0);

    // The parent includes its children's samples; the waiting operation barely uses the CPU.
    const root = rows.find((r) => r.name === "agent-run")!;
    expect(root.topFunctions[0]!.function).toBe("jottyHotspotValidate");
    const wait = rows.find((r) => r.name === "wait-for-llm");
    expect(wait === undefined || wait.cpuMs < validate.cpuMs / 5).toBe(true);
    expect(rows.indexOf(validate)).toBeLessThan(wait ? rows.indexOf(wait) : Infinity);
  });

  const base = (name: string, attributes: Attributes, spanAttributes: Attributes = {}): Span => ({
    traceId: "0".repeat(31) + "1",
    spanId: "0".repeat(15) + "1",
    name,
    kind: "INTERNAL",
    startNs: 0,
    endNs: 100e6,
    status: { code: "UNSET" },
    attributes: spanAttributes,
    resource: {},
    events: [{ name: "jotty.cpu_profile", timeNs: 100e6, attributes }],
  });

  it("reads the flat arrays when the JSON attribute is missing or broken, and counts overlapping segments", () => {
    const rows = cpuHotspotsByOperation([
      base("a", {
        "jotty.cpu_profile.top_functions": "{not json",
        "jotty.cpu_profile.functions": ["parse", "render"],
        "jotty.cpu_profile.locations": ["/app/p.js:3", "/app/r.js:9"],
        "jotty.cpu_profile.self_ms": [30, 10],
        "jotty.cpu_profile.cpu_ms": 45,
        "jotty.cpu_profile.overlapping": true,
      }),
      base("a", {
        "jotty.cpu_profile.functions": ["render"],
        "jotty.cpu_profile.locations": ["/app/r.js:9"],
        "jotty.cpu_profile.self_ms": [25],
      }),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "a", segments: 2, wallMs: 200, cpuMs: 70, overlappingSegments: 1 });
    expect(rows[0]!.topFunctions.map((f) => [f.function, f.selfMs, f.segments])).toEqual([
      ["render", 35, 2],
      ["parse", 30, 1],
    ]);
    expect(rows[0]!.topFunctions[0]!.share).toBeCloseTo(35 / 200);
  });

  it("ignores spans without the event and events without usable functions", () => {
    const plain: Span = { ...base("b", {}), events: [] };
    expect(cpuHotspotsByOperation([plain, base("c", { "jotty.cpu_profile.samples": 3 })])).toEqual([]);
  });
});
