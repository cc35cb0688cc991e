import type { Flusher } from "./flusher.js";

/**
 * The exit hooks' flusher before the pipeline exists: nothing to flush until a span or a metric
 * has been made (`made`), then the real one (`flusher`, built on demand).
 */
export function deferredFlusher(made: () => boolean, flusher: () => Flusher): Flusher {
  return {
    get collectorDown() {
      return made() && flusher().collectorDown;
    },
    flushFile() {
      if (made()) flusher().flushFile();
    },
    flushSync(options) {
      if (made()) flusher().flushSync(options);
    },
    flushAsync() {
      return made() ? flusher().flushAsync() : Promise.resolve();
    },
    hasUnflushedSpans() {
      return made() && flusher().hasUnflushedSpans();
    },
    hasWork: made,
  };
}
