import type { ExportResult } from "@opentelemetry/core";
import type { PushMetricExporter, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { BackgroundHttpTransport } from "./background-http-transport.js";
import { loadSync } from "./load-sync.js";
import { defaultAggregation, temporalitySelectorFromEnv } from "./metric-temporality.js";
import { otlpContentType, type OtlpHttpProtocol } from "./otlp-endpoint.js";

type ExporterBase = typeof import("@opentelemetry/otlp-exporter-base");
type NodeHttp = typeof import("@opentelemetry/otlp-exporter-base/node-http");
type Transformer = typeof import("@opentelemetry/otlp-transformer");

/** Ends an exporter's pending requests and retries (at exit, once the flush bound is spent). */
export interface StoppableTransport {
  stop(): void;
}

export interface OtlpExporter<E> {
  exporter: E;
  transport: StoppableTransport;
}

/**
 * Builds an exporter on first use: the OTLP exporter packages (serializers, protobuf) are loaded
 * by the first export, not at start-up.
 */
class Deferred<E> {
  private built?: { exporter: E; transport: BackgroundHttpTransport };
  private stopped = false;

  constructor(private readonly build: () => { exporter: E; transport: BackgroundHttpTransport }) {}

  get(): E {
    if (!this.built) {
      this.built = this.build();
      if (this.stopped) this.built.transport.stop();
    }
    return this.built.exporter;
  }

  get existing(): E | undefined {
    return this.built?.exporter;
  }

  readonly transport: StoppableTransport = {
    stop: () => {
      this.stopped = true;
      this.built?.transport.stop();
    },
  };
}

function otlpHttpParts(signal: "TRACES" | "METRICS", path: string, protocol: OtlpHttpProtocol) {
  const base = loadSync<ExporterBase>("@opentelemetry/otlp-exporter-base");
  const nodeHttp = loadSync<NodeHttp>("@opentelemetry/otlp-exporter-base/node-http");
  const transformer = loadSync<Transformer>("@opentelemetry/otlp-transformer");
  const options = nodeHttp.convertLegacyHttpOptions({}, signal, path, { "Content-Type": otlpContentType(protocol) });
  return { base, nodeHttp, transformer, options, transport: new BackgroundHttpTransport(options) };
}

/**
 * The OTLP/HTTP span exporter as @opentelemetry/exporter-trace-otlp-{proto,http} builds it (same
 * OTEL_EXPORTER_OTLP_* configuration), on a transport that never keeps the process alive, built
 * by the first export.
 */
export function createOtlpTraceExporter(protocol: OtlpHttpProtocol): OtlpExporter<SpanExporter> {
  const deferred = new Deferred<SpanExporter>(() => {
    const { base, nodeHttp, transformer, options, transport } = otlpHttpParts("TRACES", "v1/traces", protocol);
    const serializer = protocol === "http/json" ? transformer.JsonTraceSerializer : transformer.ProtobufTraceSerializer;
    const metrics = nodeHttp.createOtlpHttpExporterMetrics("otlp_http_span_exporter", transformer.TraceExporterMetricsHelper, options.url, undefined);
    const delegate = base.createOtlpNetworkExportDelegate<ReadableSpan[], unknown>(options, serializer, metrics, transport);
    return { exporter: new base.OTLPExporterBase(delegate), transport };
  });
  const exporter: SpanExporter = {
    export: (spans: ReadableSpan[], resultCallback: (result: ExportResult) => void) => deferred.get().export(spans, resultCallback),
    shutdown: () => deferred.existing?.shutdown() ?? Promise.resolve(),
    forceFlush: () => deferred.existing?.forceFlush?.() ?? Promise.resolve(),
  };
  return { exporter, transport: deferred.transport };
}

/**
 * The OTLP/HTTP metric exporter, likewise (temporality from the environment, as
 * @opentelemetry/exporter-metrics-otlp-http chooses it), built by the first export.
 */
export function createOtlpMetricExporter(protocol: OtlpHttpProtocol): OtlpExporter<PushMetricExporter> {
  const deferred = new Deferred<PushMetricExporter>(() => {
    const { base, nodeHttp, transformer, options, transport } = otlpHttpParts("METRICS", "v1/metrics", protocol);
    const serializer = protocol === "http/json" ? transformer.JsonMetricsSerializer : transformer.ProtobufMetricsSerializer;
    const metrics = nodeHttp.createOtlpHttpExporterMetrics("otlp_http_metric_exporter", transformer.MetricsExporterMetricsHelper, options.url, undefined);
    const delegate = base.createOtlpNetworkExportDelegate(options, serializer, metrics, transport);
    return { exporter: new base.OTLPExporterBase<ResourceMetrics>(delegate), transport };
  });
  const exporter: PushMetricExporter = {
    export: (metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void) => deferred.get().export(metrics, resultCallback),
    forceFlush: () => deferred.existing?.forceFlush() ?? Promise.resolve(),
    shutdown: () => deferred.existing?.shutdown() ?? Promise.resolve(),
    selectAggregationTemporality: temporalitySelectorFromEnv(),
    selectAggregation: defaultAggregation,
  };
  return { exporter, transport: deferred.transport };
}
