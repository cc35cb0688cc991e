import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMetricPipeline } from "../../src/sdk/metric-pipeline.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("createMetricPipeline (OTEL_METRICS_EXPORTER as NodeSDK reads it)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("otlp by default: one periodic reader on our OTLP/HTTP transport", async () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "");
    const pipeline = createMetricPipeline();
    expect(pipeline.readers).toHaveLength(1);
    expect(pipeline.readers[0]).toBeInstanceOf(PeriodicExportingMetricReader);
    expect(pipeline.transports).toHaveLength(1);
    await Promise.all(pipeline.readers.map((r) => r.shutdown()));
  });

  it("none: no reader", () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "otlp,none");
    expect(createMetricPipeline()).toEqual({ readers: [], transports: [] });
  });

  it("otlp and console: two readers", async () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "otlp,console");
    vi.stubEnv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
    const pipeline = createMetricPipeline();
    expect(pipeline.readers).toHaveLength(2);
    expect(pipeline.transports).toHaveLength(1);
    await Promise.all(pipeline.readers.map((r) => r.shutdown()));
  });

  it("prometheus: the Prometheus exporter's reader, on OTEL_EXPORTER_PROMETHEUS_PORT", async () => {
    const port = await freePort();
    vi.stubEnv("OTEL_METRICS_EXPORTER", "prometheus");
    vi.stubEnv("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1");
    vi.stubEnv("OTEL_EXPORTER_PROMETHEUS_PORT", String(port));
    const pipeline = createMetricPipeline();
    expect(pipeline.readers).toHaveLength(1);
    expect(pipeline.readers[0]).toBeInstanceOf(PrometheusExporter);
    await (pipeline.readers[0] as PrometheusExporter).startServer();
    const served = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(served.status).toBe(200);
    await served.text();
    await pipeline.readers[0]!.shutdown();
  });

  it("OTLP over gRPC: one stderr line, then OTLP/HTTP protobuf (as for traces)", async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      vi.stubEnv("OTEL_METRICS_EXPORTER", "otlp");
      vi.stubEnv("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc");
      const pipeline = createMetricPipeline();
      expect(pipeline.readers).toHaveLength(1);
      expect(lines).toEqual(['@jotty/otel: OTLP protocol "grpc" is not supported for metrics; using http/protobuf\n']);
      await Promise.all(pipeline.readers.map((r) => r.shutdown()));
    } finally {
      write.mockRestore();
    }
  });
});
