import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { redactUrl } from "../redaction/redact-url.js";
import { CountingExporter } from "./counting-exporter.js";
import { envList } from "./env.js";
import { createOtlpTraceExporter, type StoppableTransport } from "./otlp-exporters.js";
import { resolveOtlpTraceTarget } from "./otlp-endpoint.js";
import { OtlpBatchProcessor } from "./otlp-processor.js";
import { sdkTrace } from "./sdk-packages.js";

export interface ExporterPipeline {
  processors: SpanProcessor[];
  /** The batched, counted exporter path (OTLP or the caller's exporter), if any. */
  batch?: OtlpBatchProcessor;
  /** The OTLP exporter's transport, if any (stopped at shutdown). */
  transport?: StoppableTransport;
}

/**
 * The exporting span processors, from OTEL_TRACES_EXPORTER as the SDK reads it (otlp by default,
 * console, none) unless an exporter is given in code. OTLP goes over HTTP, protobuf unless
 * OTEL_EXPORTER_OTLP(_TRACES)_PROTOCOL=http/json, on a transport that never keeps the process alive.
 */
export function createExporterPipeline(traceExporter?: SpanExporter): ExporterPipeline {
  if (traceExporter) {
    const batch = new OtlpBatchProcessor(new CountingExporter(traceExporter, "the configured trace exporter"));
    return { processors: [batch], batch };
  }
  let names = [...new Set(envList("OTEL_TRACES_EXPORTER") ?? [])].filter((n) => n !== "null");
  if (names.length === 0) names = ["otlp"];
  if (names.includes("none")) return { processors: [] };
  const pipeline: ExporterPipeline = { processors: [] };
  for (const name of names) {
    if (name === "otlp") {
      const target = resolveOtlpTraceTarget();
      const otlp = createOtlpTraceExporter(target.protocol);
      pipeline.transport = otlp.transport;
      // The endpoint is only named in stderr lines: without its userinfo or secret query values.
      pipeline.batch = new OtlpBatchProcessor(new CountingExporter(otlp.exporter, redactUrl(target.url)), target);
      pipeline.processors.push(pipeline.batch);
    } else if (name === "console") {
      const { SimpleSpanProcessor, ConsoleSpanExporter } = sdkTrace();
      pipeline.processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    } else {
      process.stderr.write(`@jotty/otel: OTEL_TRACES_EXPORTER value "${name}" is not supported (otlp, console, none); ignored\n`);
    }
  }
  return pipeline;
}
