// Figures summed over whole traces: wall time, critical paths, the time distribution, the
// window the spans cover, and the slowest traces.

import type { Report } from "../report.js";
import { cmp, ms, share } from "./numbers.js";
import type { StepAcc } from "./steps.js";
import type { TraceFacts } from "./trace-facts.js";

interface Slow {
  traceId: string;
  rootName: string;
  wallNs: number;
}

const bySlowest = (a: Slow, b: Slow) => b.wallNs - a.wallNs || cmp(a.traceId, b.traceId);

export class TraceTotals {
  spans = 0;
  wallNs = 0;
  critTotalNs = 0;
  private llmOrToolNs = 0;
  private toolNs = 0;
  private minStart = Infinity;
  private maxEnd = -Infinity;
  private slowest: Slow[] = [];

  constructor(private readonly top: number) {}

  addTrace(f: TraceFacts): void {
    this.spans += f.trace.nodes.length;
    this.wallNs += f.wallNs;
    this.critTotalNs += f.critTotalNs;
    this.llmOrToolNs += f.llmOrToolUnionNs;
    this.toolNs += f.toolUnionNs;
    if (f.startNs < this.minStart) this.minStart = f.startNs;
    if (f.endNs > this.maxEnd) this.maxEnd = f.endNs;
    const { nodes, roots } = f.trace;
    const root = roots.find((r) => nodes[r]!.parentId === "") ?? roots[0]!;
    this.slowest.push({ traceId: f.traceId, rootName: nodes[root]!.name, wallNs: f.wallNs });
    if (this.slowest.length > Math.max(1, this.top) * 4) this.slowest = this.slowest.sort(bySlowest).slice(0, this.top);
  }

  /** Like the seed's table: LLM calls, each step, tools, and the rest; the rows overlap. */
  timeDistribution(llm: Report["llm"], steps: readonly StepAcc[]): Report["timeDistribution"] {
    const rows: Report["timeDistribution"] = [];
    const wall = this.wallNs;
    if (llm.calls > 0) rows.push({ component: "LLM calls", ms: llm.ms, share: llm.share });
    for (const s of steps) rows.push({ component: `step ${s.position}: ${s.name}`, ms: ms(s.totalNs), share: share(s.totalNs, wall) });
    if (this.toolNs > 0) rows.push({ component: "tools", ms: ms(this.toolNs), share: share(this.toolNs, wall) });
    if (wall > 0) rows.push({ component: "other (not LLM or tools)", ms: ms(wall - this.llmOrToolNs), share: share(wall - this.llmOrToolNs, wall) });
    return rows;
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
