import { metrics } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import type { IMetricReader, PeriodicExportingMetricReader, PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { DeferredMeterProvider } from "./deferred-meter-provider.js";
import { DetachedExporter } from "./detached-exporter.js";
import { envList } from "./env.js";
import { loadSync } from "./load-sync.js";
import { otlpProtocolFromEnv, type OtlpHttpProtocol } from "./otlp-endpoint.js";
import { createOtlpMetricExporter, type StoppableTransport } from "./otlp-exporters.js";
import { positiveEnv } from "./positive-env.js";

export interface MetricPipeline {
  readers: IMetricReader[];
  transports: StoppableTransport[];
}

type PrometheusModule = typeof import("@opentelemetry/exporter-prometheus");
type SdkMetrics = typeof import("@opentelemetry/sdk-metrics");

const sdkMetrics = () => loadSync<SdkMetrics>("@opentelemetry/sdk-metrics");

/** OTEL_METRICS_EXPORTER's names (otlp when unset); no reader at all when one is "none". */
export function metricExporterNames(): string[] {
  const names = [...new Set(envList("OTEL_METRICS_EXPORTER") ?? [])];
  if (names.includes("none")) return [];
  return names.length === 0 ? ["otlp"] : names;
}

/**
 * The metric readers NodeSDK builds from OTEL_METRICS_EXPORTER (otlp by default, console,
 * prometheus, none) and OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT, with OTLP/HTTP on our transport.
 * The OTLP exporter is detached (see DetachedExporter) so that an export retrying against a
 * collector that is down does not keep a finished app alive; its packages load at the first
 * collection, and the Prometheus exporter's only when it is asked for.
 */
export function createMetricPipeline(): MetricPipeline {
  const pipeline: MetricPipeline = { readers: [], transports: [] };
  for (const name of metricExporterNames()) {
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
      const { PeriodicExportingMetricReader, ConsoleMetricExporter } = sdkMetrics();
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

/**
 * Registers the global meter provider over the readers `readers()` makes, made real when metrics
 * are first needed (see DeferredMeterProvider); `onBuilt` runs then.
 */
export function startMeterProvider(resource: () => Resource, readers: () => IMetricReader[], onBuilt: () => void): DeferredMeterProvider {
  const provider = new DeferredMeterProvider(() => new (sdkMetrics().MeterProvider)({ resource: resource(), readers: readers() }), onBuilt);
  // Another SDK's meter provider registered first keeps its place; ours still flushes its readers.
  registeredMeterProviders.set(provider, metrics.setGlobalMeterProvider(provider));
  return provider;
}

const registeredMeterProviders = new WeakMap<DeferredMeterProvider, boolean>();

/** Removes the global meter provider if it is this one. */
export function unregisterMeterProvider(provider: DeferredMeterProvider | undefined): void {
  if (provider && registeredMeterProviders.get(provider)) metrics.disable();
}

function metricsProtocol(): OtlpHttpProtocol {
  const raw = otlpProtocolFromEnv("METRICS");
  if (raw === "http/protobuf" || raw === "http/json") return raw;
  process.stderr.write(`@jotty/otel: OTLP protocol "${raw}" is not supported for metrics; using http/protobuf\n`);
  return "http/protobuf";
}

function periodicReader(exporter: PushMetricExporter): PeriodicExportingMetricReader {
  const { PeriodicExportingMetricReader } = sdkMetrics();
  const exportIntervalMillis = positiveEnv("OTEL_METRIC_EXPORT_INTERVAL") ?? 60_000;
  const exportTimeoutMillis = Math.min(positiveEnv("OTEL_METRIC_EXPORT_TIMEOUT") ?? 30_000, exportIntervalMillis);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis });
}
