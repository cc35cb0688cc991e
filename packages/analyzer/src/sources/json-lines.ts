// OTLP JSON lines (or Jaeger UI objects, one a line) → spans, over the whole file or one byte
// range of it that starts and ends at line boundaries (a worker's part).
import { basename } from "node:path";
import { BoundedLineSplitter, type SplitLine } from "./bounded-lines.js";
import { readChunks, type ByteRange } from "./file-chunks.js";
import { jaegerUiTracesOf, readJaegerUiTrace } from "./jaeger-ui-json.js";
import { readOtlpDocument, resourceSpansOf, ResourceCache, type SpanSink } from "./otlp-json.js";
import type { WarningLog } from "./warnings.js";

export interface JsonLinesRead {
  spans: number;
  /** Lines that held trace data, lines skipped, the first skipped one's number (0: none). */
  good: number;
  bad: number;
  firstBad: number;
  lines: number;
}

/** `lineName`: how a warning names line n of the range (a part does not know its first line's number yet). */
export async function readJsonLinesRange(
  path: string,
  range: ByteRange | undefined,
  sink: SpanSink,
  warnings: WarningLog,
  maxLineBytes: number,
  lineName: (n: number) => string = String,
): Promise<JsonLinesRead> {
  const name = basename(path);
  const resources = new ResourceCache();
  const read: JsonLinesRead = { spans: 0, good: 0, bad: 0, firstBad: 0, lines: 0 };
  const onLine = (line: SplitLine) => {
    const where = () => `${name} line ${lineName(line.number)}`;
    const skip = (kind: string, at: string) => {
      if (read.bad++ === 0) read.firstBad = line.number;
      warnings.add(kind, at);
    };
    if ("skippedBytes" in line) {
      skip(`JSON line over ${mebibytes(maxLineBytes)} skipped`, `${where()}, ${mebibytes(line.skippedBytes)}`);
      return;
    }
    if (line.text.trim().length === 0) return;
    let doc: unknown;
    try {
      doc = JSON.parse(line.text);
    } catch {
      skip("unreadable JSON line skipped", where());
      return;
    }
    const resourceSpans = resourceSpansOf(doc);
    if (resourceSpans !== undefined) {
      read.spans += readOtlpDocument(resourceSpans, resources, sink, warnings, where);
      read.good++;
      return;
    }
    const traces = jaegerUiTracesOf(doc);
    if (traces !== undefined) {
      for (const trace of traces) read.spans += readJaegerUiTrace(trace, sink, warnings, where);
      read.good++;
      return;
    }
    skip("line that is not an OTLP or Jaeger trace object skipped", where());
  };
  const splitter = new BoundedLineSplitter(maxLineBytes, range === undefined || range.start === 0);
  await readChunks<Buffer>(path, undefined, (chunk) => splitter.push(chunk, onLine), range);
  splitter.end(onLine);
  read.lines = splitter.lines;
  return read;
}

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 0)} MiB`;
