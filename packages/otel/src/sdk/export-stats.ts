import { sharedSlot } from "./global-state.js";

export interface ExportStats {
  /** Spans the OTLP exporter delivered. */
  exportedSpans: number;
  /** Spans lost: failed exports, a full batch queue, or still queued when the process went. */
  droppedSpans: number;
  /** OTLP export calls that failed (after the exporter's own retries). */
  failedExports: number;
  /** Writes to JOTTY_TRACES_FILE that failed (its folder or the file could not be created or written). */
  failedFileWrites: number;
  /** Spans those failed writes lost. */
  droppedFileSpans: number;
}

const stats = sharedSlot<ExportStats>("export-stats", () => ({
  exportedSpans: 0,
  droppedSpans: 0,
  failedExports: 0,
  failedFileWrites: 0,
  droppedFileSpans: 0,
}));

export function getExportStats(): ExportStats {
  return { ...stats };
}

/** The live object, for the exporter and processors that count into it. */
export function exportStatsRecord(): ExportStats {
  return stats;
}
