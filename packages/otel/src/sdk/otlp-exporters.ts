import { OTLPMetricExporterBase } from "@opentelemetry/exporter-metrics-otlp-http";
import { createOtlpNetworkExportDelegate, OTLPExporterBase } from "@opentelemetry/otlp-exporter-base";
import { convertLegacyHttpOptions, createOtlpHttpExporterMetrics } from "@opentelemetry/otlp-exporter-base/node-http";
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  MetricsExporterMetricsHelper,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { BackgroundHttpTransport } from "./background-http-transport.js";
import { otlpContentType, type OtlpHttpProtocol } from "./otlp-endpoint.js";

export interface OtlpExporter<E> {
  exporter: E;
  /** Ends the exporter's pending requests and retries (at exit, once the flush bound is spent). */
  transport: BackgroundHttpTransport;
}

/**
 * The OTLP/HTTP span exporter as @opentelemetry/exporter-trace-otlp-{proto,http} builds it (same
 * OTEL_EXPORTER_OTLP_* configuration), on a transport that never keeps the process alive.
 */
export function createOtlpTraceExporter(protocol: OtlpHttpProtocol): OtlpExporter<SpanExporter> {
  const json = protocol === "http/json";
  const options = convertLegacyHttpOptions({}, "TRACES", "v1/traces", { "Content-Type": otlpContentType(protocol) });
  const transport = new BackgroundHttpTransport(options);
  const metrics = createOtlpHttpExporterMetrics("otlp_http_span_exporter", TraceExporterMetricsHelper, options.url, undefined);
  const delegate = createOtlpNetworkExportDelegate<ReadableSpan[], unknown>(options, json ? JsonTraceSerializer : ProtobufTraceSerializer, metrics, transport);
  return { exporter: new OTLPExporterBase(delegate), transport };
}

/** The OTLP/HTTP metric exporter, likewise (temporality and aggregation from the environment). */
export function createOtlpMetricExporter(protocol: OtlpHttpProtocol): OtlpExporter<OTLPMetricExporterBase> {
  const json = protocol === "http/json";
  const options = convertLegacyHttpOptions({}, "METRICS", "v1/metrics", { "Content-Type": otlpContentType(protocol) });
  const transport = new BackgroundHttpTransport(options);
  const metrics = createOtlpHttpExporterMetrics("otlp_http_metric_exporter", MetricsExporterMetricsHelper, options.url, undefined);
  const delegate = createOtlpNetworkExportDelegate(options, json ? JsonMetricsSerializer : ProtobufMetricsSerializer, metrics, transport);
  return { exporter: new OTLPMetricExporterBase(delegate), transport };
}
