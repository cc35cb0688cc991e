// `--file`: OTLP JSON lines (Collector file exporter, JOTTY_TRACES_FILE), one OTLP JSON document,
// a Jaeger /api/v3 response or a Jaeger UI download — always streamed, never read whole.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { BoundedLineSplitter, MAX_LINE_BYTES, type SplitLine } from "./bounded-lines.js";
import { SourceError } from "./errors.js";
import { jaegerUiTracesOf, readJaegerUiTrace } from "./jaeger-ui-json.js";
import { DocumentStream, JsonSyntaxError } from "./document-stream.js";
import { readOtlpDocument, resourceSpansOf, ResourceCache, type SpanSink } from "./otlp-json.js";
import { TraceDocumentVisitor, type DocumentFormat } from "./trace-document.js";
import type { WarningLog } from "./warnings.js";

export type FileFormat = "otlp-jsonl" | DocumentFormat | "empty";

export interface FileReadResult {
  format: FileFormat;
  spans: number;
}

const PEEK_BYTES = 1 << 20;

export interface FileReadOptions {
  /** Longer JSON lines are skipped with a warning (default: the longest string V8 can hold). */
  maxLineBytes?: number;
}

/** Streams every span of `path` into `sink`. Throws SourceError (one line) when unreadable. */
export async function readTraceFile(path: string, sink: SpanSink, warnings: WarningLog, options: FileReadOptions = {}): Promise<FileReadResult> {
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
  if (looksLikeJsonLines(text, start)) return readJsonLines(path, sink, warnings, options.maxLineBytes ?? MAX_LINE_BYTES);
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

async function readJsonLines(path: string, sink: SpanSink, warnings: WarningLog, maxLineBytes: number): Promise<FileReadResult> {
  const name = basename(path);
  const resources = new ResourceCache();
  let spans = 0;
  let good = 0;
  let bad = 0;
  let firstBad = 0;
  const onLine = (line: SplitLine) => {
    const where = () => `${name} line ${line.number}`;
    const skip = (kind: string, at: string) => {
      if (bad++ === 0) firstBad = line.number;
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
      spans += readOtlpDocument(resourceSpans, resources, sink, warnings, where);
      good++;
      return;
    }
    const traces = jaegerUiTracesOf(doc);
    if (traces !== undefined) {
      for (const trace of traces) spans += readJaegerUiTrace(trace, sink, warnings, where);
      good++;
      return;
    }
    skip("line that is not an OTLP or Jaeger trace object skipped", where());
  };
  const splitter = new BoundedLineSplitter(maxLineBytes);
  await readChunks<Buffer>(path, undefined, (chunk) => splitter.push(chunk, onLine));
  splitter.end(onLine);
  if (good === 0 && bad > 0) {
    throw new SourceError(`${path}: no readable trace data (${bad} line(s), first bad at line ${firstBad})`);
  }
  return { format: "otlp-jsonl", spans };
}

/** Hands each chunk of the file to `consume`; only read errors become the file's SourceError. */
async function readChunks<T extends string | Buffer>(path: string, encoding: BufferEncoding | undefined, consume: (chunk: T, first: boolean) => void): Promise<void> {
  const input = createReadStream(path, { highWaterMark: 1 << 20, encoding });
  const chunks = input[Symbol.asyncIterator]();
  try {
    for (let first = true; ; first = false) {
      let next: IteratorResult<T>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw new SourceError(`cannot read traces file ${path}: ${describe(error)}`);
      }
      if (next.done === true) return;
      consume(next.value, first);
    }
  } finally {
    input.destroy();
  }
}

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 0)} MiB`;

async function readDocument(path: string, sink: SpanSink, warnings: WarningLog): Promise<FileReadResult> {
  const name = basename(path);
  const visitor: TraceDocumentVisitor = new TraceDocumentVisitor(
    sink,
    warnings,
    (): string => `${name} span ${visitor.spans + 1}`,
  );
  const document = new DocumentStream(visitor);
  let lines = 1; // newlines handed to the tokenizer so far, to say where a syntax error is
  try {
    await readChunks<string>(path, "utf8", (chunk, first) => {
      const text = first ? chunk.replace(/^\uFEFF/, "") : chunk;
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
      document.push(text);
    });
    document.end();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = lines > 1 ? ` by line ${lines}` : "";
    throw new SourceError(`${path}: not valid JSON${at} (${error.message}); is the file truncated?`);
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
