// A traces file read for a time window (and optionally one service): whole traces that have a
// span starting inside it (of that service), the way Jaeger answers a search. Two streaming passes (ids first, then spans), so memory stays
// bounded by the set of matching trace ids.
import type { Span } from "@jotty/engine";
import { readTraceFile, type FileReadOptions, type FileReadResult } from "./file.js";
import type { SpanSink } from "./otlp-json.js";
import { WarningLog } from "./warnings.js";

export interface FileWindowResult extends FileReadResult {
  /** Spans in the file (inside the window or not) and their start extent, to explain an empty window. */
  fileSpans: number;
  fileStartNs: number;
  fileEndNs: number;
}

export async function readTraceFileInWindow(
  path: string,
  window: { start: Date; end: Date } | undefined,
  sink: SpanSink,
  warnings: WarningLog,
  service?: string,
  options?: FileReadOptions,
): Promise<FileWindowResult> {
  const minNs = window === undefined ? -Infinity : window.start.getTime() * 1e6;
  const maxNs = window === undefined ? Infinity : window.end.getTime() * 1e6;
  const inWindow = new Set<string>();
  let fileStartNs = Infinity;
  let fileEndNs = -Infinity;
  const first = await readTraceFile(
    path,
    (span: Span) => {
      if (span.startNs < fileStartNs) fileStartNs = span.startNs;
      if (span.startNs > fileEndNs) fileEndNs = span.startNs;
      if (span.startNs < minNs || span.startNs > maxNs) return;
      if (service === undefined || span.resource["service.name"] === service) inWindow.add(span.traceId);
    },
    warnings, // the file's problems, whether or not anything is in the window
    options,
  );
  let spans = 0;
  if (inWindow.size > 0) {
    await readTraceFile(
      path,
      (span) => {
        if (!inWindow.has(span.traceId)) return;
        spans++;
        sink(span);
      },
      new WarningLog(), // the same problems again: the first pass reported them
      options,
    );
  }
  return { format: first.format, spans, fileSpans: first.spans, fileStartNs, fileEndNs };
}
