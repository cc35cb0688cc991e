// Figures summed over whole traces: wall time, critical paths, the time distribution, the
// window the spans cover, and the slowest traces.

import type { Report } from "../report.js";
import { WATERFALL_MAX_SPANS } from "./constants.js";
import { cmp, ms, share } from "./numbers.js";
import { rateLimitWaits, waitsOutsideWorkNs } from "./rate-limit-waits.js";
import type { TraceFacts } from "./trace-facts.js";

/** The time-distribution row of the backoff after rate-limited LLM calls (429, 529, 503). */
export const RATE_LIMIT_WAITS_COMPONENT = "rate-limit waits (backoff after 429/529/503)";
import { waterfallOf, type Waterfall } from "./waterfall.js";

export interface Slow {
  traceId: string;
  rootName: string;
  wallNs: number;
  /** rootName is a true root's (not a span whose parent fell in another part of the trace). */
  trueRoot: boolean;
}

const bySlowest = (a: Slow, b: Slow) => b.wallNs - a.wallNs || cmp(a.traceId, b.traceId);

export class TraceTotals {
  spans = 0;
  wallNs = 0;
  critTotalNs = 0;
  private llmNs = 0;
  private llmOrToolNs = 0;
  /** Backoff after rate-limited calls, outside LLM and tool spans. */
  private rateLimitWaitNs = 0;
  private minStart = Infinity;
  private maxEnd = -Infinity;
  private slowest: Slow[] = [];
  private slowestWaterfall: { wallNs: number; traceId: string; waterfall: Waterfall } | undefined;

  constructor(
    private readonly top: number,
    private readonly keepWaterfall = false,
  ) {}

  /** `earlier`: the extent of the trace's parts analysed before this one (trace-ids.ts), counted once. */
  addTrace(f: TraceFacts, earlier?: { startNs: number; endNs: number }): void {
    this.spans += f.trace.nodes.length;
    const wallNs = earlier === undefined ? f.wallNs : Math.max(earlier.endNs, f.endNs) - Math.min(earlier.startNs, f.startNs);
    this.wallNs += wallNs - (earlier === undefined ? 0 : earlier.endNs - earlier.startNs);
    this.critTotalNs += f.critTotalNs;
    this.llmOrToolNs += f.llmOrToolUnionNs;
    this.llmNs += f.llmUnionNs;
    this.rateLimitWaitNs += waitsOutsideWorkNs(f, rateLimitWaits(f));
    if (f.startNs < this.minStart) this.minStart = f.startNs;
    if (f.endNs > this.maxEnd) this.maxEnd = f.endNs;
    const { nodes, roots } = f.trace;
    const trueRoot = roots.find((r) => nodes[r]!.parentId === "");
    const rootName = nodes[trueRoot ?? roots[0]!]!.name;
    const seen = earlier === undefined ? undefined : this.slowest.find((s) => s.traceId === f.traceId);
    if (seen === undefined) this.slowest.push({ traceId: f.traceId, rootName, wallNs, trueRoot: trueRoot !== undefined });
    else {
      seen.wallNs = wallNs;
      if (trueRoot !== undefined && !seen.trueRoot) Object.assign(seen, { rootName, trueRoot: true });
    }
    if (this.slowest.length > Math.max(1, this.top) * 4) this.slowest = this.slowest.sort(bySlowest).slice(0, this.top);
    // The same order as slowestTraces: longest first, then by trace id.
    const held = this.slowestWaterfall;
    if (!this.keepWaterfall) return;
    if (held === undefined || f.wallNs > held.wallNs || (f.wallNs === held.wallNs && f.traceId < held.traceId)) {
      this.slowestWaterfall = { wallNs: f.wallNs, traceId: f.traceId, waterfall: waterfallOf(f, WATERFALL_MAX_SPANS) };
    }
  }

  state() {
    const { spans, wallNs, critTotalNs, llmNs, llmOrToolNs, rateLimitWaitNs, minStart, maxEnd, slowest, slowestWaterfall } = this;
    return { spans, wallNs, critTotalNs, llmNs, llmOrToolNs, rateLimitWaitNs, minStart, maxEnd, slowest, slowestWaterfall };
  }

  /** A later part of the input's totals; its traces are others than this one's (the split is by trace). */
  merge(s: ReturnType<TraceTotals["state"]>): void {
    this.spans += s.spans;
    this.wallNs += s.wallNs;
    this.critTotalNs += s.critTotalNs;
    this.llmNs += s.llmNs;
    this.llmOrToolNs += s.llmOrToolNs;
    this.rateLimitWaitNs += s.rateLimitWaitNs;
    this.minStart = Math.min(this.minStart, s.minStart);
    this.maxEnd = Math.max(this.maxEnd, s.maxEnd);
    this.slowest = this.slowest
      .concat(s.slowest)
      .sort(bySlowest)
      .slice(0, Math.max(1, this.top) * 4);
    const held = this.slowestWaterfall;
    const other = s.slowestWaterfall;
    if (other !== undefined && (held === undefined || other.wallNs > held.wallNs || (other.wallNs === held.wallNs && other.traceId < held.traceId))) {
      this.slowestWaterfall = other;
    }
  }

  /**
   * Where the wall time went, as a partition that sums to it: LLM calls (with everything below
   * them, their HTTP requests included), tools outside LLM calls, the backoff after rate-limited
   * calls (rate-limit-waits.ts), and the rest.
   */
  timeDistribution(llm: Report["llm"]): Report["timeDistribution"] {
    const wall = this.wallNs;
    if (wall <= 0) return [];
    const llmNs = Math.min(this.llmNs, wall);
    const toolsNs = Math.min(Math.max(0, this.llmOrToolNs - this.llmNs), wall - llmNs);
    const llmRow = { component: "LLM calls", ms: ms(llmNs), share: share(llmNs, wall) };
    const toolsRow = { component: "tools", ms: ms(toolsNs), share: share(toolsNs, wall) };
    const waitNs = Math.min(this.rateLimitWaitNs, wall - llmNs - toolsNs);
    const waitRow = { component: RATE_LIMIT_WAITS_COMPONENT, ms: ms(waitNs), share: share(waitNs, wall) };
    const rows = [...(llm.calls > 0 ? [llmRow] : []), ...(toolsNs > 0 ? [toolsRow] : []), ...(waitNs > 0 ? [waitRow] : [])];
    // The rest by subtraction of the rounded figures, so the rows add up exactly.
    const rest = (pick: (row: { ms: number; share: number }) => number, whole: number) =>
      Math.round(
        Math.max(
          0,
          rows.reduce((left, row) => left - pick(row), whole),
        ) * 1e4,
      ) / 1e4;
    return [...rows, { component: "other (not LLM or tools)", ms: rest((r) => r.ms, ms(wall)), share: rest((r) => r.share, 1) }];
  }

  /** The slowest trace's spans, when there was a trace. */
  waterfall(): Waterfall | undefined {
    return this.slowestWaterfall?.waterfall;
  }

  /** The span extent in RFC 3339, or nulls without spans. */
  window(): Report["window"] {
    if (this.spans === 0) return { start: null, end: null };
    return { start: new Date(this.minStart / 1e6).toISOString(), end: new Date(this.maxEnd / 1e6).toISOString() };
  }

  slowestTraces(jaegerUrl: string | undefined): Report["slowestTraces"] {
    const base = jaegerUrl?.replace(/\/+$/, "");
    return this.slowest
      .sort(bySlowest)
      .slice(0, this.top)
      .map((t) => ({ traceId: t.traceId, rootName: t.rootName, durationMs: ms(t.wallNs), url: base ? `${base}/trace/${t.traceId}` : "" }));
  }
}
