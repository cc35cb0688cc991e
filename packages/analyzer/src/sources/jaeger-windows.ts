// Which windows to query next after a page of Jaeger traces came back full. A search returns at
// most num_traces traces, so a full page may have left traces out.
//
// Jaeger's Badger store answers a search with the traces whose latest matching span starts last,
// newest first (v2.13 `internal/storage/v1/badger/spanstore/reader.go`: `scanIndexKeys` walks the
// service index backwards from start_time_max, `filterIDs` keeps the first num_traces trace ids,
// `getTraces` returns them in that order); Elasticsearch picks the same traces (a terms
// aggregation ordered by max startTime). A full page in that order
// holds every trace with a matching span after its oldest trace's latest span T, so only
// [min, T] is left (search-plan.ts decides how to query it). Each query then returns traces not
// seen before.
// A page that is not in that order (the memory store answers in the order traces were written)
// gets the safe split: both halves again, traces already read skipped.

export interface Window {
  service: string;
  minNs: bigint;
  maxNs: bigint;
}

/** What a page said about its traces, in the order they came. */
export interface PageTraces {
  /** Per trace, in page order: the latest start (ns) of its spans of the window's service inside the window; undefined if none. */
  latestStarts: (bigint | undefined)[];
}

export type NextWindows = { windows: Window[] } | { tooDense: true };

/** Below 1 µs a window is not split further (Jaeger's stores keep microseconds). */
export const MIN_WINDOW_NS = 1000n;
const MICRO = 1000n;

/** Whether every trace has a latest start and they never increase along the page. */
export function newestFirst(page: PageTraces): boolean {
  let previous: bigint | undefined;
  for (const start of page.latestStarts) {
    if (start === undefined) return false;
    // Stores compare microseconds: starts within the same microsecond may come in any order.
    const micros = start / MICRO;
    if (previous !== undefined && micros > previous) return false;
    previous = micros;
  }
  return previous !== undefined;
}

export type Remainder = { window: Window; coveredNs: bigint } | { windows: Window[] } | { tooDense: true };

/**
 * What is left of a window after a full page: newest first, the window below the page's oldest
 * trace (and how wide a stretch the page covered); otherwise both halves.
 */
export function remainderOf(window: Window, page: PageTraces): Remainder {
  if (newestFirst(page)) {
    const oldest = page.latestStarts[page.latestStarts.length - 1]! / MICRO;
    // The rest of the window up to the end of the microsecond after T's: traces at T may have
    // been cut, and T is read from a double (startNs), which may put it up to 256 ns early.
    const restMax = (oldest + 2n) * MICRO - 1n;
    if (restMax < window.maxNs) {
      const coveredNs = window.maxNs - restMax;
      if (restMax < window.minNs) return { windows: [] };
      return { window: { ...window, maxNs: restMax }, coveredNs };
    }
    // More than a page of traces in the window's last microsecond: halving is all that is left.
  }
  if (window.maxNs - window.minNs <= MIN_WINDOW_NS) return { tooDense: true };
  const mid = (window.minNs + window.maxNs) / 2n;
  return {
    windows: [
      { ...window, maxNs: mid },
      { ...window, minNs: mid },
    ],
  };
}
