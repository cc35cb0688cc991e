// `--file`: OTLP JSON lines (Collector file exporter, JOTTY_TRACES_FILE), one OTLP JSON document,
// a Jaeger /api/v3 response or a Jaeger UI download — always streamed, never read whole.
import { type FileHandle, open } from "node:fs/promises";
import { basename } from "node:path";
import { MAX_LINE_BYTES } from "./bounded-lines.js";
import { describe, readChunks } from "./file-chunks.js";
import { readJsonLinesRange } from "./json-lines.js";
import { SourceError } from "./errors.js";
import { DocumentStream, JsonSyntaxError } from "./document-stream.js";
import type { SpanSink } from "./otlp-json.js";
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

/** Whether the file holds JSON lines (what can be read in parts); false also when unreadable, for readTraceFile to say why. */
export async function isJsonLinesFile(path: string): Promise<boolean> {
  let text: string;
  try {
    text = (await peek(path)).replace(/^\uFEFF/, "");
  } catch {
    return false;
  }
  const start = text.search(/\S/);
  return start >= 0 && text[start] === "{" && looksLikeJsonLines(text, start);
}

async function peek(path: string): Promise<string> {
  let handle: FileHandle;
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
  const read = await readJsonLinesRange(path, undefined, sink, warnings, maxLineBytes);
  if (read.good === 0 && read.bad > 0) {
    throw new SourceError(`${path}: no readable trace data (${read.bad} line(s), first bad at line ${read.firstBad})`);
  }
  return { format: "otlp-jsonl", spans: read.spans };
}

async function readDocument(path: string, sink: SpanSink, warnings: WarningLog): Promise<FileReadResult> {
  const name = basename(path);
  const visitor: TraceDocumentVisitor = new TraceDocumentVisitor(sink, warnings, (): string => `${name} span ${visitor.spans + 1}`);
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
