import { metrics } from "@opentelemetry/api";
import { getStringListFromEnv } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader, type IMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { DetachedExporter } from "./detached-exporter.js";
import { loadSync } from "./load-sync.js";
import { otlpProtocolFromEnv, type OtlpHttpProtocol } from "./otlp-endpoint.js";
import { createOtlpMetricExporter, type StoppableTransport } from "./otlp-exporters.js";
import { positiveEnv } from "./positive-env.js";

export interface MetricPipeline {
  readers: IMetricReader[];
  transports: StoppableTransport[];
}

type PrometheusModule = typeof import("@opentelemetry/exporter-prometheus");

/**
 * The metric readers NodeSDK builds from OTEL_METRICS_EXPORTER (otlp by default, console,
 * prometheus, none) and OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT, with OTLP/HTTP on our transport.
 * The OTLP exporter is detached (see DetachedExporter) so that an export retrying against a
 * collector that is down does not keep a finished app alive; its packages load at the first
 * collection, and the Prometheus exporter's only when it is asked for.
 */
export function createMetricPipeline(): MetricPipeline {
  let names = [...new Set(getStringListFromEnv("OTEL_METRICS_EXPORTER") ?? [])];
  if (names.length === 0) names = ["otlp"];
  const pipeline: MetricPipeline = { readers: [], transports: [] };
  if (names.includes("none")) return pipeline;
  for (const name of names) {
    if (name === "otlp") {
      const otlp = createOtlpMetricExporter(metricsProtocol());
      const detached = new DetachedExporter(otlp.exporter);
      pipeline.readers.push(
        periodicReader({
          export: (batch, resultCallback) => detached.export(batch, resultCallback),
          forceFlush: () => detached.forceFlush(),
          shutdown: () => detached.shutdown(),
          selectAggregationTemporality: (type) => otlp.exporter.selectAggregationTemporality!(type),
          selectAggregation: (type) => otlp.exporter.selectAggregation!(type),
        }),
      );
      pipeline.transports.push(otlp.transport);
    } else if (name === "console") {
      pipeline.readers.push(new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter() }));
    } else if (name === "prometheus") {
      const { PrometheusExporter } = loadSync<PrometheusModule>("@opentelemetry/exporter-prometheus");
      const port = positiveEnv("OTEL_EXPORTER_PROMETHEUS_PORT");
      pipeline.readers.push(new PrometheusExporter({ host: process.env.OTEL_EXPORTER_PROMETHEUS_HOST || undefined, ...(port ? { port } : {}) }));
    } else {
      process.stderr.write(`@jotty/otel: OTEL_METRICS_EXPORTER value "${name}" is not supported (otlp, console, prometheus, none); ignored\n`);
    }
  }
  return pipeline;
}

/** Registers the global meter provider over these readers (none when there are no readers, as NodeSDK does). */
export function startMeterProvider(resource: Resource, readers: IMetricReader[]): MeterProvider | undefined {
  if (readers.length === 0) return undefined;
  const provider = new MeterProvider({ resource, readers });
  // Another SDK's meter provider registered first keeps its place; ours still flushes its readers.
  registeredMeterProviders.set(provider, metrics.setGlobalMeterProvider(provider));
  return provider;
}

const registeredMeterProviders = new WeakMap<MeterProvider, boolean>();

/** Removes the global meter provider if it is this one. */
export function unregisterMeterProvider(provider: MeterProvider | undefined): void {
  if (provider && registeredMeterProviders.get(provider)) metrics.disable();
}

function metricsProtocol(): OtlpHttpProtocol {
  const raw = otlpProtocolFromEnv("METRICS");
  if (raw === "http/protobuf" || raw === "http/json") return raw;
  process.stderr.write(`@jotty/otel: OTLP protocol "${raw}" is not supported for metrics; using http/protobuf\n`);
  return "http/protobuf";
}

function periodicReader(exporter: PushMetricExporter): PeriodicExportingMetricReader {
  const exportIntervalMillis = positiveEnv("OTEL_METRIC_EXPORT_INTERVAL") ?? 60_000;
  const exportTimeoutMillis = Math.min(positiveEnv("OTEL_METRIC_EXPORT_TIMEOUT") ?? 30_000, exportIntervalMillis);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis });
}
