import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMetricPipeline } from "../../src/sdk/metric-pipeline.js";

describe("createMetricPipeline (OTEL_METRICS_EXPORTER as NodeSDK reads it)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("otlp by default: one periodic reader on our OTLP/HTTP transport", async () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "");
    const pipeline = createMetricPipeline();
    expect(pipeline?.readers).toHaveLength(1);
    expect(pipeline?.readers[0]).toBeInstanceOf(PeriodicExportingMetricReader);
    expect(pipeline?.transports).toHaveLength(1);
    await Promise.all(pipeline!.readers.map((r) => r.shutdown()));
  });

  it("none: no reader", () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "otlp,none");
    expect(createMetricPipeline()).toEqual({ readers: [], transports: [] });
  });

  it("otlp and console: two readers", async () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "otlp,console");
    vi.stubEnv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
    const pipeline = createMetricPipeline();
    expect(pipeline?.readers).toHaveLength(2);
    expect(pipeline?.transports).toHaveLength(1);
    await Promise.all(pipeline!.readers.map((r) => r.shutdown()));
  });

  it("leaves prometheus and OTLP over gRPC to NodeSDK", () => {
    vi.stubEnv("OTEL_METRICS_EXPORTER", "prometheus");
    expect(createMetricPipeline()).toBeUndefined();
    vi.stubEnv("OTEL_METRICS_EXPORTER", "otlp");
    vi.stubEnv("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc");
    expect(createMetricPipeline()).toBeUndefined();
  });
});
