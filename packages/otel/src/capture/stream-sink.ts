// What a stream observer reports to the per-request capture.
import type { ResponseSummary } from "./wire/summary.js";

export interface StreamSink {
  /** The first chunk arrived (time to first chunk). */
  firstChunk(): void;
  /** The stream ended (or was read whole): record the summary and end the span. */
  finish(summary: ResponseSummary): void;
  /** The stream stopped early (cancelled, aborted, failed). */
  interrupted(reason: unknown, partial: ResponseSummary): void;
  /** Nobody can read the rest: end with what was read, marked unfinished. */
  abandoned(partial: ResponseSummary): void;
  /** Observing failed (a bug of ours): stop looking, never break the app. */
  stopped(error: unknown): void;
}
