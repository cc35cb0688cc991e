// `--file` into a report: a big JSON-lines file is read in parts by worker threads and their
// states merged (file-parts.ts); a small file, any other format, or options a worker cannot be
// given (price and model functions, a trace observer) take the one-pass path.
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Report } from "@jotty/engine";
import { createReportBuilder, PartsNotMergeable, type ReportOptions } from "@jotty/engine/engine";
import { MAX_LINE_BYTES } from "./bounded-lines.js";
import { isJsonLinesFile, readTraceFile, type FileReadOptions } from "./file.js";
import { FilePart, type PartOptions, type PartSpec } from "./file-part.js";
import { reportFromParts, type Part } from "./file-parts.js";
import { splitAtLines } from "./file-split.js";
import { WarningLog } from "./warnings.js";
import { WorkerPart } from "./worker-part.js";

/** Below this a file is read in one pass: starting workers and merging costs more than it saves. */
export const MIN_BYTES_FOR_WORKERS = 64 * 2 ** 20;

export interface FileReportOptions extends FileReadOptions {
  /** Parts read at once (default: the cores, at most 4); 1 reads in one pass. */
  workers?: number;
  minBytesForWorkers?: number;
  /** Read the parts one after another in this thread: the same split and merge without threads. */
  inThread?: boolean;
}

export interface FileReport {
  report: Report;
  spans: number;
  /** Parts the file was read in (1: one pass). */
  parts: number;
}

export async function reportTraceFile(path: string, options: ReportOptions, warnings: WarningLog, fileOptions: FileReportOptions = {}): Promise<FileReport> {
  const workers = Math.max(1, Math.floor(fileOptions.workers ?? Math.min(availableParallelism(), 4)));
  const partOptions = workerOptions(options);
  if (workers > 1 && partOptions !== undefined && (await worthSplitting(path, fileOptions.minBytesForWorkers ?? MIN_BYTES_FOR_WORKERS))) {
    const ranges = await splitAtLines(path, workers);
    if (ranges.length > 1) {
      const partWarnings = new WarningLog();
      const maxLineBytes = fileOptions.maxLineBytes ?? MAX_LINE_BYTES;
      const specs: PartSpec[] = ranges.map((range, i) => ({ path, range, first: i === 0, options: partOptions, maxLineBytes, parts: ranges.length }));
      const parts = specs.map((spec) => (fileOptions.inThread === true ? inThread(spec) : new WorkerPart(spec)));
      try {
        const { report, spans } = await reportFromParts(path, parts, partOptions, partWarnings);
        warnings.merge(partWarnings.state());
        return { report, spans, parts: parts.length };
      } catch (error) {
        if (!(error instanceof PartsNotMergeable)) throw error;
      } finally {
        await Promise.all(parts.map((p) => (p instanceof WorkerPart ? p.close() : undefined)));
      }
    }
  }
  const builder = createReportBuilder(options);
  const { spans } = await readTraceFile(path, (span) => builder.add(span), warnings, fileOptions);
  return { report: builder.finish(), spans, parts: 1 };
}

/** The options as a worker can take them, or undefined when they hold functions. */
function workerOptions(options: ReportOptions): PartOptions | undefined {
  const { prices, cheaperModels, traceObserver, ...rest } = options;
  if (cheaperModels !== undefined || traceObserver !== undefined || (prices !== undefined && prices !== null)) return undefined;
  return prices === null ? { ...rest, prices: null } : rest;
}

async function worthSplitting(path: string, minBytes: number): Promise<boolean> {
  try {
    return (await stat(path)).size >= minBytes && (await isJsonLinesFile(path));
  } catch {
    return false; // the one-pass path says why the file cannot be read
  }
}

function inThread(spec: PartSpec): Part {
  const part = new FilePart(spec);
  return {
    read: () => part.read(),
    seen: async (ids, afterHead) => part.seen(ids, afterHead),
    // Through structuredClone, as a worker's messages go: what merges is a copy, never shared objects.
    take: async (ids) => structuredClone(part.take(ids)),
    add: async (traces) => part.add(traces),
    finish: async () => structuredClone(part.finish()),
  };
}
