// `--file`: OTLP JSON lines (Collector file exporter, JOTTY_TRACES_FILE), one OTLP JSON document,
// a Jaeger /api/v3 response or a Jaeger UI download — always streamed, never read whole.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { Transform, type TransformCallback } from "node:stream";
import { parser } from "stream-json";
import { SourceError } from "./errors.js";
import { jaegerUiTracesOf, readJaegerUiTrace } from "./jaeger-ui-json.js";
import { JsonWalker, type JsonToken } from "./json-walker.js";
import { readOtlpDocument, resourceSpansOf, ResourceCache, type SpanSink } from "./otlp-json.js";
import { TraceDocumentVisitor, type DocumentFormat } from "./trace-document.js";
import type { WarningLog } from "./warnings.js";

export type FileFormat = "otlp-jsonl" | DocumentFormat | "empty";

export interface FileReadResult {
  format: FileFormat;
  spans: number;
}

const PEEK_BYTES = 1 << 20;

/** Streams every span of `path` into `sink`. Throws SourceError (one line) when unreadable. */
export async function readTraceFile(path: string, sink: SpanSink, warnings: WarningLog): Promise<FileReadResult> {
  const head = await peek(path);
  const text = head.replace(/^\uFEFF/, "");
  const start = text.search(/\S/);
  if (start < 0) return { format: "empty", spans: 0 };
  const first = text[start];
  if (first !== "{" && first !== "[") {
    const line = text.slice(0, start).split("\n").length;
    const sample = text.slice(start, start + 20).split("\n")[0];
    throw new SourceError(`${path}: not a JSON traces file (line ${line} starts with ${JSON.stringify(sample)})`);
  }
  if (looksLikeJsonLines(text, start)) return readJsonLines(path, sink, warnings);
  return readDocument(path, sink, warnings);
}

async function peek(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new SourceError(`cannot read traces file ${path}: ${describe(error)}`);
  }
  try {
    const buffer = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
    return buffer.toString("utf8", 0, bytesRead);
  } catch (error) {
    throw new SourceError(`cannot read traces file ${path}: ${describe(error)}`);
  } finally {
    await handle.close();
  }
}

/** JSON lines when the first line alone is a complete JSON value (a pretty-printed document's is not). */
function looksLikeJsonLines(text: string, start: number): boolean {
  const newline = text.indexOf("\n", start);
  if (newline < 0) return text.length < PEEK_BYTES; // one short line: the same either way
  try {
    JSON.parse(text.slice(start, newline));
    return true;
  } catch {
    return false;
  }
}

async function readJsonLines(path: string, sink: SpanSink, warnings: WarningLog): Promise<FileReadResult> {
  const name = basename(path);
  const resources = new ResourceCache();
  let lineNumber = 0;
  let spans = 0;
  let good = 0;
  let bad = 0;
  let firstBad = 0;
  const where = () => `${name} line ${lineNumber}`;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await lines.next();
      } catch (error) {
        throw new SourceError(`cannot read traces file ${path}: ${describe(error)}`);
      }
      if (next.done === true) break;
      const line = next.value;
      lineNumber++;
      if (line.length === 0 || line.trim().length === 0) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        if (bad++ === 0) firstBad = lineNumber;
        warnings.add("unreadable JSON line skipped", where());
        continue;
      }
      const resourceSpans = resourceSpansOf(doc);
      if (resourceSpans !== undefined) {
        spans += readOtlpDocument(resourceSpans, resources, sink, warnings, where);
        good++;
        continue;
      }
      const traces = jaegerUiTracesOf(doc);
      if (traces !== undefined) {
        for (const trace of traces) spans += readJaegerUiTrace(trace, sink, warnings, where);
        good++;
        continue;
      }
      if (bad++ === 0) firstBad = lineNumber;
      warnings.add("line that is not an OTLP or Jaeger trace object skipped", where());
    }
  } finally {
    await lines.return?.();
    input.destroy();
  }
  if (good === 0 && bad > 0) {
    throw new SourceError(`${path}: no readable trace data (${bad} line(s), first bad at line ${firstBad})`);
  }
  return { format: "otlp-jsonl", spans };
}

/** Counts newlines of what has been handed to the parser, to say where a syntax error is. */
class LineCounter extends Transform {
  lines = 1;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.lines++;
    callback(null, chunk);
  }
}

async function readDocument(path: string, sink: SpanSink, warnings: WarningLog): Promise<FileReadResult> {
  const name = basename(path);
  const visitor: TraceDocumentVisitor = new TraceDocumentVisitor(
    sink,
    warnings,
    (): string => `${name} span ${visitor.spans + 1}`,
  );
  const walker = new JsonWalker(visitor);
  const counter = new LineCounter();
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const tokens = input
    .on("error", (error) => tokens.destroy(error))
    .pipe(counter)
    // jsonStreaming: a JSON-lines file whose first line is too long to sniff still reads.
    .pipe(parser.asStream({ packValues: true, streamValues: false, jsonStreaming: true }));
  const iterator = tokens[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (error) {
        const at = counter.lines > 1 ? ` by line ${counter.lines}` : "";
        throw new SourceError(`${path}: not valid JSON${at} (${describe(error)}); is the file truncated?`);
      }
      if (next.done === true) break;
      // Only the parser's errors are the file's fault; the sink's propagate as they are.
      walker.consume(next.value as JsonToken);
    }
  } finally {
    input.destroy();
    tokens.destroy();
  }
  if (visitor.format === undefined) {
    throw new SourceError(`${path}: JSON, but neither OTLP (resourceSpans) nor a Jaeger trace ({data: [...]})`);
  }
  return { format: visitor.format, spans: visitor.spans };
}

function describe(error: unknown): string {
  if (error !== null && typeof error === "object" && "code" in error && error.code === "ENOENT") return "no such file";
  if (error !== null && typeof error === "object" && "code" in error && error.code === "EISDIR") return "is a directory";
  return error instanceof Error ? error.message : String(error);
}
