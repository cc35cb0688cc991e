import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { AggregationTemporality, MetricReader, type SumMetricData } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { trace } from "@opentelemetry/api";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CountingExporter } from "../../src/sdk/counting-exporter.js";
import { getExportStats } from "../../src/sdk/export-stats.js";
import { shutdown, start } from "../../src/wiring/start.js";

async function someSpans(count: number): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  for (let i = 0; i < count; i++) provider.getTracer("t").startSpan(`s${i}`).end();
  await processor.forceFlush();
  return exporter.getFinishedSpans();
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port on which nothing listens: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

function exportOnce(exporter: CountingExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

describe("OTLP export failures", () => {
  afterEach(async () => {
    await shutdown();
    vi.unstubAllEnvs();
  });

  it("warns once naming the endpoint, counts dropped spans, and says when export recovers", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1/traces`;
    const lines: string[] = [];
    const exporter = new CountingExporter(new OTLPTraceExporter({ url, timeoutMillis: 300 }), url, (l) => lines.push(l));
    const before = getExportStats();

    const first = await exportOnce(exporter, await someSpans(3));
    const second = await exportOnce(exporter, await someSpans(2));
    expect(first.code).toBe(ExportResultCode.FAILED);
    expect(second.code).toBe(ExportResultCode.FAILED);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(url);
    expect(lines[0]).toMatch(/dropped/);
    let stats = getExportStats();
    expect(stats.droppedSpans - before.droppedSpans).toBe(5);
    expect(stats.failedExports - before.failedExports).toBe(2);

    // The collector comes up on the same port: one "recovered" line, spans counted as exported.
    let received = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received++;
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await listen(server, port);
    try {
      const third = await exportOnce(exporter, await someSpans(4));
      expect(third.code).toBe(ExportResultCode.SUCCESS);
    } finally {
      await exporter.shutdown();
      await close(server);
    }
    expect(received).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/recovered/);
    stats = getExportStats();
    expect(stats.exportedSpans - before.exportedSpans).toBe(4);
  });

  it("says plainly why when the exporter has too many exports waiting", async () => {
    const lines: string[] = [];
    const exporter = new CountingExporter(
      { export: (_s, cb) => cb({ code: ExportResultCode.FAILED, error: new Error("Concurrent export limit reached") }), shutdown: async () => {} },
      "http://collector:4318/v1/traces",
      (line) => lines.push(line),
    );
    await exportOnce(exporter, await someSpans(1));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("http://collector:4318/v1/traces (no answer yet to the exports already sent, which are being retried)");
  });

  it("start(): by default sends OTLP/HTTP protobuf to /v1/traces and /v1/metrics and counts the delivered spans", async () => {
    const requests: { url?: string; type?: string; bytes: number }[] = [];
    const server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (c: Buffer) => (bytes += c.length));
      req.on("end", () => {
        requests.push({ url: req.url, type: req.headers["content-type"], bytes });
        res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      });
    });
    const port = await listen(server);
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", `http://127.0.0.1:${port}`);
    vi.stubEnv("OTEL_TRACES_EXPORTER", "");
    vi.stubEnv("OTEL_METRICS_EXPORTER", "");
    vi.stubEnv("JOTTY_TRACES_FILE", "");
    const before = getExportStats().exportedSpans;
    try {
      start();
      for (let i = 0; i < 4; i++) trace.getTracer("t").startSpan(`s${i}`).end();
      await shutdown();
    } finally {
      server.closeAllConnections();
      await close(server);
    }
    expect(requests.filter((r) => r.url === "/v1/traces").length).toBeGreaterThan(0);
    // The metrics (here jotty.otel.dropped_spans) are sent by the final collection at shutdown.
    expect(requests.filter((r) => r.url === "/v1/metrics").length).toBeGreaterThan(0);
    expect(requests.every((r) => r.type === "application/x-protobuf" && r.bytes > 0)).toBe(true);
    expect(getExportStats().exportedSpans - before).toBe(4);
  });

  it("start(): shutdown against a closed port is quick, warns once and counts the queued spans as dropped", async () => {
    const port = await closedPort();
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", `http://127.0.0.1:${port}`);
    vi.stubEnv("OTEL_EXPORTER_OTLP_TIMEOUT", "300");
    vi.stubEnv("OTEL_TRACES_EXPORTER", "otlp");
    vi.stubEnv("JOTTY_TRACES_FILE", "");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const reader = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
    const before = getExportStats().droppedSpans;
    let written: string[] = [];
    try {
      start({ metricReaders: [reader], exitFlushTimeoutMs: 8000 });
      for (let i = 0; i < 3; i++) trace.getTracer("t").startSpan(`s${i}`).end();
      const started = performance.now();
      await shutdown();
      // Not waiting out the flush bound (nor the exporters' retries); slack for a loaded CI.
      expect(performance.now() - started).toBeLessThan(4000);
    } finally {
      written = stderr.mock.calls.map((c) => String(c[0]));
      stderr.mockRestore();
    }
    const warnings = written.filter((l) => l.includes("cannot export spans"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`http://127.0.0.1:${port}/v1/traces`);
    expect(getExportStats().droppedSpans - before).toBe(3);
  });

  it("publishes the dropped count as the counter jotty.otel.dropped_spans", async () => {
    vi.stubEnv("OTEL_TRACES_EXPORTER", "none");
    const reader = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
    start({ metricReaders: [reader] });
    const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
    const exporter = new CountingExporter(new OTLPTraceExporter({ url, timeoutMillis: 300 }), url, () => {});
    await exportOnce(exporter, await someSpans(2));
    const { resourceMetrics } = await reader.collect();
    const dropped = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === "jotty.otel.dropped_spans") as
      | SumMetricData
      | undefined;
    expect(dropped?.isMonotonic).toBe(true);
    expect(dropped?.dataPoints[0]?.value).toBeGreaterThanOrEqual(2);
    expect(dropped?.dataPoints[0]?.value).toBe(getExportStats().droppedSpans);
  });

  it("keeps memory bounded: past OTEL_BSP_MAX_QUEUE_SIZE spans are dropped and counted", async () => {
    vi.stubEnv("OTEL_TRACES_EXPORTER", "otlp");
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", `http://127.0.0.1:${await closedPort()}`);
    vi.stubEnv("OTEL_METRICS_EXPORTER", "none");
    vi.stubEnv("OTEL_BSP_MAX_QUEUE_SIZE", "10");
    vi.stubEnv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10");
    vi.stubEnv("OTEL_BSP_SCHEDULE_DELAY", "60000");
    const before = getExportStats().droppedSpans;
    start({ exitFlushTimeoutMs: 500 });
    // Let resource detection settle first, as it has a few ms after start in a real app.
    const first = trace.getTracer("t").startSpan("s0");
    await (first as unknown as ReadableSpan).resource.waitForAsyncAttributes?.();
    first.end();
    for (let i = 1; i < 35; i++) trace.getTracer("t").startSpan(`s${i}`).end();
    // 10 go out in the first batch, 10 wait in the queue, 15 find it full.
    expect(getExportStats().droppedSpans - before).toBe(15);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await shutdown();
    } finally {
      stderr.mockRestore();
    }
  });
});
