import type { IMetricReader } from "@opentelemetry/sdk-metrics";
import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { RedactOptions } from "../redaction/settings.js";

export interface StartOptions {
  /** service.name; wins over OTEL_SERVICE_NAME. Default: OTEL_SERVICE_NAME, the app's package name, "jotty". */
  serviceName?: string;
  /** Also write spans as OTLP JSON lines to this file. Default: JOTTY_TRACES_FILE. */
  tracesFile?: string;
  /** Bound on the flush at exit and on signals. Default: JOTTY_EXIT_FLUSH_TIMEOUT_MS, else 5000. */
  exitFlushTimeoutMs?: number;
  /** Capture LLM calls made through fetch. Default: true unless JOTTY_CAPTURE_FETCH=false. */
  captureFetch?: boolean;
  /** Extra span processors, after the built-in ones (tests use an in-memory exporter here). */
  spanProcessors?: SpanProcessor[];
  /** Replaces the OTLP exporter (still batched and counted); OTEL_TRACES_EXPORTER is then not read. */
  traceExporter?: SpanExporter;
  /** More header and query-parameter names to redact (added to JOTTY_REDACT_HEADERS / JOTTY_REDACT_QUERY_PARAMS and the built-in rules). */
  redact?: RedactOptions;
  /** Replaces the metric readers OTEL_METRICS_EXPORTER would configure. */
  metricReaders?: IMetricReader[];
}

export const DEFAULT_EXIT_FLUSH_TIMEOUT_MS = 5000;
