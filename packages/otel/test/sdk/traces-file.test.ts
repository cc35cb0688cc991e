import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { shutdown, start } from "../../src/wiring/start.js";
import { useQuietStart } from "./quiet-start.js";

interface OtlpLine {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[] };
    scopeSpans: {
      scope: { name: string };
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string;
        endTimeUnixNano: string;
        attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
        status: { code?: number };
      }[];
    }[];
  }[];
}

function readLines(file: string): OtlpLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as OtlpLine);
}

describe("JOTTY_TRACES_FILE", () => {
  let dir: string;
  useQuietStart();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "jotty-traces-"));
    vi.stubEnv("OTEL_SERVICE_NAME", "file-test");
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes OTLP JSON lines with hex ids, string nanos and attributes, creating folders", async () => {
    const file = join(dir, "nested", "deeper", "traces.jsonl");
    vi.stubEnv("JOTTY_TRACES_FILE", file);
    start();
    const tracer = trace.getTracer("file-test-scope");
    const ids = tracer.startActiveSpan("parent", (parent) => {
      const child = tracer.startSpan("child", { kind: SpanKind.CLIENT, attributes: { "gen_ai.usage.input_tokens": 12, note: "hi" } });
      child.setStatus({ code: SpanStatusCode.ERROR });
      child.end();
      parent.end();
      return { parent: parent.spanContext(), child: child.spanContext() };
    });
    await shutdown();

    const lines = readLines(file);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const resource = lines[0]!.resourceSpans[0]!.resource;
    expect(resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "file-test" } });
    const spans = lines.flatMap((l) => l.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    expect(spans.map((s) => s.name).sort()).toEqual(["child", "parent"]);
    const child = spans.find((s) => s.name === "child")!;
    expect(child.traceId).toBe(ids.child.traceId);
    expect(child.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child.spanId).toBe(ids.child.spanId);
    expect(child.parentSpanId).toBe(ids.parent.spanId);
    expect(child.kind).toBe(3); // OTLP SPAN_KIND_CLIENT
    expect(child.status.code).toBe(2); // STATUS_CODE_ERROR
    expect(child.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(BigInt(child.endTimeUnixNano) >= BigInt(child.startTimeUnixNano)).toBe(true);
    // OTLP/JSON allows int64 as a number or a string; the JS serializer writes a number.
    const tokens = child.attributes.find((a) => a.key === "gen_ai.usage.input_tokens");
    expect(Number(tokens?.value.intValue)).toBe(12);
    expect(child.attributes).toContainEqual({ key: "note", value: { stringValue: "hi" } });
    expect(lines[0]!.resourceSpans[0]!.scopeSpans[0]!.scope.name).toBe("file-test-scope");
  });

  it("appends to an existing file", async () => {
    const file = join(dir, "traces.jsonl");
    start({ tracesFile: file });
    trace.getTracer("t").startSpan("first").end();
    await shutdown();
    start({ tracesFile: file });
    context.with(context.active(), () => trace.getTracer("t").startSpan("second").end());
    await shutdown();
    const names = readLines(file).flatMap((l) => l.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.name))));
    expect(names).toEqual(["first", "second"]);
  });

  it("a traces file that cannot be created costs one line on stderr, not the app", async () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    const exporter = new InMemorySpanExporter();
    const processor = new SimpleSpanProcessor({ exporter });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    let written: string[];
    try {
      start({ tracesFile: join(blocker, "traces.jsonl"), spanProcessors: [processor] });
      trace.getTracer("t").startSpan("still-traced").end();
      written = stderr.mock.calls.map((c) => String(c[0]));
    } finally {
      stderr.mockRestore();
    }
    await processor.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["still-traced"]);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain("cannot write JOTTY_TRACES_FILE");
  });
});
