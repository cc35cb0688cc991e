import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { RedactingSpanProcessor } from "../redaction/redacting-span-processor.js";
import type { StartOptions } from "../sdk/options.js";
import type { StoppableTransport } from "../sdk/otlp-exporters.js";
import { FanOutSpanProcessor } from "../sdk/processor-registry.js";
import { createExporterPipeline } from "../sdk/trace-pipeline.js";
import { TracesFileProcessor } from "../sdk/traces-file.js";
import { createFlusher, type Flusher } from "./flusher.js";

export interface SpanPipeline {
  processors: SpanProcessor[];
  flusher: Flusher;
}

export interface SpanPipelineSettings {
  options: StartOptions;
  tracesFilePath: string | undefined;
  timeoutMs: number;
  /** Where the OTLP exporter's transport is added, to be stopped at shutdown. */
  transports: StoppableTransport[];
}

/**
 * The span processors start() puts on the tracer provider (ours, the traces file, the exporters,
 * the caller's, redaction last) and the flusher over them, made when the first span needs them.
 */
export function createSpanPipeline({ options, tracesFilePath, timeoutMs, transports }: SpanPipelineSettings): SpanPipeline {
  // A path that cannot work costs one stderr line and counted failed writes, never the app.
  const tracesFile = tracesFilePath ? new TracesFileProcessor(tracesFilePath) : undefined;
  const exporters = createExporterPipeline(options.traceExporter);
  if (exporters.transport) transports.push(exporters.transport);
  const processors: SpanProcessor[] = [
    new FanOutSpanProcessor(),
    ...(tracesFile ? [tracesFile] : []),
    ...exporters.processors,
    ...(options.spanProcessors ?? []),
    // Last, so its onEnding sees what the others add; it runs before any of them exports in onEnd.
    new RedactingSpanProcessor(),
  ];
  return { processors, flusher: createFlusher(processors, tracesFile, exporters, timeoutMs, !options.metricReaders) };
}
