// What the runner tells its listeners (the spans, the progress line, the app's onProgress):
// the public progress event, plus what only the spans need — the error itself, not its text.
import type { StepProgressEvent } from "./types.js";

export interface StepEventDetail {
  /** attempt-end / step-end: the thrown error or timeout. */
  error?: unknown;
  /** attempt-end / step-end: the caller's signal stopped it. */
  cancelled?: boolean;
}

export interface StepListener {
  handle(event: StepProgressEvent, detail?: StepEventDetail): void;
}
