// `--file`: OTLP JSON lines (Collector file exporter, JOTTY_TRACES_FILE), one OTLP JSON document,
// a Jaeger /api/v3 response or a Jaeger UI download — always streamed, never read whole.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { jsonParser } from "stream-json/parser.js";
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

// stream-json's bare tokenizer, called synchronously on each chunk: far cheaper than a token
// stream in object mode (one async step per token). It answers one token, none, or many.
const NONE = Symbol.for("object-stream.none");
const MANY = Symbol.for("object-stream.many");
type Tokenizer = (chunk: string | symbol) => unknown;

async function readDocument(path: string, sink: SpanSink, warnings: WarningLog): Promise<FileReadResult> {
  const name = basename(path);
  const visitor: TraceDocumentVisitor = new TraceDocumentVisitor(
    sink,
    warnings,
    (): string => `${name} span ${visitor.spans + 1}`,
  );
  const walker = new JsonWalker(visitor);
  // jsonStreaming: a JSON-lines file whose first line is too long to sniff still reads.
  const tokenize = jsonParser({ packValues: true, streamValues: false, jsonStreaming: true }) as unknown as Tokenizer;
  let lines = 1; // newlines handed to the tokenizer so far, to say where a syntax error is
  const feed = (chunk: string | symbol) => {
    let out: unknown;
    try {
      out = tokenize(chunk);
    } catch (error) {
      const at = lines > 1 ? ` by line ${lines}` : "";
      throw new SourceError(`${path}: not valid JSON${at} (${describe(error)}); is the file truncated?`);
    }
    // Only the tokenizer's errors are the file's fault; the sink's propagate as they are.
    if (out === NONE || out === undefined || out === null) return;
    const many = out as { [MANY]?: number; values?: JsonToken[] };
    if (many[MANY] === 1) for (const token of many.values!) walker.consume(token);
    else walker.consume(out as JsonToken);
  };
  const input = createReadStream(path, { highWaterMark: 1 << 20, encoding: "utf8" });
  const chunks = input[Symbol.asyncIterator]();
  try {
    for (let first = true; ; first = false) {
      let next: IteratorResult<string>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw new SourceError(`cannot read traces file ${path}: ${describe(error)}`);
      }
      if (next.done === true) break;
      const chunk = first ? next.value.replace(/^\uFEFF/, "") : next.value;
      for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) lines++;
      feed(chunk);
    }
    feed(NONE);
  } finally {
    input.destroy();
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
