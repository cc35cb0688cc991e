import { sharedSlot } from "./global-state.js";

export interface ExportStats {
  /** Spans the OTLP exporter delivered. */
  exportedSpans: number;
  /** Spans lost: failed exports, a full batch queue, or still queued when the process went. */
  droppedSpans: number;
  /** OTLP export calls that failed (after the exporter's own retries). */
  failedExports: number;
}

const stats = sharedSlot<ExportStats>("export-stats", () => ({ exportedSpans: 0, droppedSpans: 0, failedExports: 0 }));

export function getExportStats(): ExportStats {
  return { ...stats };
}

/** The live object, for the exporter and processors that count into it. */
export function exportStatsRecord(): ExportStats {
  return stats;
}
