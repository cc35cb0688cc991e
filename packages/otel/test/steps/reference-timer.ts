import type { StepProgressEvent } from "../../src/steps/index.js";

/**
 * A plain timer armed at the same moment as each of the runner's own waits (attempt deadlines or
 * backoffs), for the same delay. Its measured delay is how late this event loop let any timer
 * fire; comparing the runner against it keeps "within N ms of the deadline" meaningful on a
 * loaded CI, where every timer can fire late.
 */
export function referenceTimers(on: StepProgressEvent["type"], delayMs: (e: StepProgressEvent) => number | undefined) {
  const delays: Promise<number>[] = [];
  return {
    onProgress(e: StepProgressEvent): void {
      const ms = e.type === on ? delayMs(e) : undefined;
      if (ms === undefined) return;
      const armed = performance.now();
      delays.push(new Promise((resolve) => setTimeout(() => resolve(performance.now() - armed), ms)));
    },
    /** The measured delay of each reference timer, in arming order. */
    delays: () => Promise.all(delays),
  };
}
