import { getStringListFromEnv } from "@opentelemetry/core";
import { ConsoleMetricExporter, PeriodicExportingMetricReader, type IMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import type { BackgroundHttpTransport } from "./background-http-transport.js";
import { DetachedExporter } from "./detached-exporter.js";
import { otlpProtocolFromEnv } from "./otlp-endpoint.js";
import { createOtlpMetricExporter } from "./otlp-exporters.js";
import { positiveEnv } from "./positive-env.js";

export interface MetricPipeline {
  readers: IMetricReader[];
  transports: BackgroundHttpTransport[];
}

/**
 * The metric readers NodeSDK would build from OTEL_METRICS_EXPORTER (otlp by default, console,
 * none) and OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT, with OTLP/HTTP on our transport. Undefined when
 * the configuration asks for something only NodeSDK builds (prometheus, grpc): it then reads the
 * environment itself. The OTLP exporter is detached (see DetachedExporter) so that an export
 * retrying against a collector that is down does not keep a finished app alive.
 */
export function createMetricPipeline(): MetricPipeline | undefined {
  let names = [...new Set(getStringListFromEnv("OTEL_METRICS_EXPORTER") ?? [])];
  if (names.length === 0) names = ["otlp"];
  const pipeline: MetricPipeline = { readers: [], transports: [] };
  if (names.includes("none")) return pipeline;
  for (const name of names) {
    if (name === "otlp") {
      const protocol = otlpProtocolFromEnv("METRICS");
      if (protocol !== "http/protobuf" && protocol !== "http/json") return undefined;
      const otlp = createOtlpMetricExporter(protocol);
      const detached = new DetachedExporter(otlp.exporter);
      pipeline.readers.push(
        periodicReader({
          export: (metrics, resultCallback) => detached.export(metrics, resultCallback),
          forceFlush: () => detached.forceFlush(),
          shutdown: () => detached.shutdown(),
          selectAggregationTemporality: (type) => otlp.exporter.selectAggregationTemporality(type),
          selectAggregation: (type) => otlp.exporter.selectAggregation(type),
        }),
      );
      pipeline.transports.push(otlp.transport);
    } else if (name === "console") {
      pipeline.readers.push(new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter() }));
    } else {
      return undefined;
    }
  }
  return pipeline;
}

function periodicReader(exporter: PushMetricExporter): PeriodicExportingMetricReader {
  const exportIntervalMillis = positiveEnv("OTEL_METRIC_EXPORT_INTERVAL") ?? 60_000;
  const exportTimeoutMillis = Math.min(positiveEnv("OTEL_METRIC_EXPORT_TIMEOUT") ?? 30_000, exportIntervalMillis);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis });
}
