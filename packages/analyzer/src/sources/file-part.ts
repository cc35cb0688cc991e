// One part of a JSON-lines traces file, read by one worker thread (or in this thread): its
// spans go into a part builder, whose state merges into the whole file's report (file-parts.ts).
import { createPartBuilder, DEFAULT_MAX_PENDING_SPANS, type BuilderState, type HeldTrace, type PartEdges, type ReportOptions } from "@jotty/engine/engine";
import type { ByteRange } from "./file-chunks.js";
import { readJsonLinesRange, type JsonLinesRead } from "./json-lines.js";
import { WarningLog } from "./warnings.js";

/**
 * The most spans of unfinished traces a part holds. Each worker thread is its own V8 heap, which
 * grows with what it keeps: at a quarter of the one-pass window, two parts of a 10M-span file
 * stay within the memory one pass takes (docs/scale.md), with the same CPU time.
 */
export const PART_WINDOW_SPANS = 32_768;

/** Report options a worker can be given: no functions (prices come from the bundled catalog, or none). */
export type PartOptions = Omit<ReportOptions, "prices" | "cheaperModels" | "traceObserver"> & { prices?: null };

export interface PartRead extends PartEdges, JsonLinesRead {}

export interface PartResult {
  state: BuilderState;
  warnings: ReturnType<WarningLog["state"]>;
}

/** Line numbers a part writes into its warnings, made the file's when the parts before it are counted. */
const LINE_MARK = "\u0001";
const MARKED_LINE = /\u0001(\d+)\u0001/g;
export const markLine = (n: number): string => `${LINE_MARK}${n}${LINE_MARK}`;
export const fileLines = (at: string, linesBefore: number): string => at.replace(MARKED_LINE, (_, n: string) => String(Number(n) + linesBefore));

export interface PartSpec {
  path: string;
  range: ByteRange;
  /** The file's first part: no trace in it continues one from before. */
  first: boolean;
  options: PartOptions;
  maxLineBytes: number;
  /** Parts read at once: they share the pending window, so that memory stays the one-pass path's. */
  parts: number;
}

export class FilePart {
  private readonly builder: ReturnType<typeof createPartBuilder>;
  private readonly warnings = new WarningLog();

  constructor(private readonly spec: PartSpec) {
    // A trace held at the part before's end is looked for in this part's first quarter-window of
    // spans; seen only later, it makes the merge refuse (reportFromParts), never counts twice.
    const window = Math.max(1, Math.min(PART_WINDOW_SPANS, Math.floor((spec.options.maxPendingSpans ?? DEFAULT_MAX_PENDING_SPANS) / Math.max(1, spec.parts))));
    const headSpans = spec.first ? 0 : Math.max(1, Math.floor(window / 4));
    this.builder = createPartBuilder({ ...spec.options, maxPendingSpans: window }, headSpans);
  }

  async read(): Promise<PartRead> {
    const { path, range, maxLineBytes } = this.spec;
    const read = await readJsonLinesRange(path, range, (span) => this.builder.add(span), this.warnings, maxLineBytes, markLine);
    return { ...read, ...this.builder.edges() };
  }

  seen(traceIds: string[], afterHead: boolean): string[] {
    return this.builder.seen(traceIds, afterHead);
  }

  take(traceIds: string[]): HeldTrace[] {
    return this.builder.takeTraces(traceIds);
  }

  add(traces: HeldTrace[]): void {
    this.builder.addTraces(traces);
  }

  finish(): PartResult {
    return { state: this.builder.state(), warnings: this.warnings.state() };
  }
}
