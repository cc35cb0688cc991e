// The order of Jaeger searches for a time range. Badger scans every index entry of a search's
// window however few traces it returns, so a search over the whole range for each page costs
// Jaeger the whole range again. After the first page shows how densely traces start (a page came
// back full over a stretch of width w), the range below it is cut into disjoint windows of about
// that width, walking back in time, several in flight at once: each index entry is scanned about
// once. A window that comes back full has its remainder searched again (and the width shrinks);
// one that comes back light widens the next ones (up to 4× a step), so an empty hour costs a few
// searches. Pages not in newest-first order (the memory store) are halved instead.
import { MIN_WINDOW_NS, remainderOf, type PageTraces, type Window } from "./jaeger-windows.js";

const MICRO = 1000n;

interface Walk {
  service: string;
  minNs: bigint;
  /** The newest time no window has covered yet; below minNs when the walk is over. */
  frontierNs: bigint;
  widthNs: bigint;
}

export type PageOutcome = "ok" | "tooDense";

export class SearchPlan {
  private readonly queued: Window[];
  private readonly walks = new Map<string, Walk>();
  private readonly first = new Set<Window>();
  private readonly walked = new Set<Window>();

  constructor(
    services: readonly string[],
    minNs: bigint,
    maxNs: bigint,
    private readonly pageSize: number,
  ) {
    this.queued = services.map((service) => ({ service, minNs, maxNs }));
    for (const window of this.queued) this.first.add(window);
  }

  /** The next window to search, or undefined when none is due (more may come as pages finish). */
  next(): Window | undefined {
    const window = this.queued.shift();
    if (window !== undefined) return window;
    for (const walk of this.walks.values()) {
      if (walk.frontierNs < walk.minNs) continue;
      let minNs = ((walk.frontierNs - walk.widthNs) / MICRO) * MICRO;
      if (minNs < walk.minNs) minNs = walk.minNs;
      const step = { service: walk.service, minNs, maxNs: walk.frontierNs };
      walk.frontierNs = minNs - 1n;
      this.walked.add(step);
      return step;
    }
    return undefined;
  }

  /** A window's page arrived: `traces` it held, in page order by latest start. */
  done(window: Window, page: PageTraces): PageOutcome {
    const isFirst = this.first.delete(window);
    const isWalked = this.walked.delete(window);
    const count = page.latestStarts.length;
    const walk = this.walks.get(window.service);
    if (count < this.pageSize) {
      // A light page: the windows after it can be wider.
      if (isWalked && walk !== undefined) {
        const room = BigInt(Math.min(4, Math.max(1, Math.floor(this.pageSize / 2 / Math.max(count, 1)))));
        const wider = (window.maxNs - window.minNs + 1n) * room;
        if (wider > walk.widthNs) walk.widthNs = wider;
      }
      return "ok";
    }
    const rest = remainderOf(window, page);
    if ("tooDense" in rest) return "tooDense";
    if ("windows" in rest) {
      this.queued.push(...rest.windows);
      return "ok";
    }
    // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
    const width = rest.coveredNs > MIN_WINDOW_NS ? rest.coveredNs : MIN_WINDOW_NS;
    if (isFirst) {
      // Now the density is known: walk the rest back in windows of the width a page covered.
      this.walks.set(window.service, { service: window.service, minNs: rest.window.minNs, frontierNs: rest.window.maxNs, widthNs: width });
      return "ok";
    }
    if (walk !== undefined && width < walk.widthNs) walk.widthNs = width;
    this.queued.push(rest.window);
    return "ok";
  }
}
