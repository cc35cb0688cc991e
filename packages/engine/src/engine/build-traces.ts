import type { Span } from "../model.js";
import { CLOCK_TOLERANCE_MS } from "./constants.js";
import { criticalTimes } from "./critical-path.js";
import { linkTrace, type Linkable } from "./link-trace.js";
import { selfTimes } from "./self-time.js";
import { traceWarnings } from "./warnings.js";

export interface TraceNode {
  span: Span;
  children: TraceNode[];
  /** Duration minus the union of the children, clamped to the span (ns). */
  selfNs: number;
  /** Time this span itself is on the trace's critical path (ns). */
  criticalNs: number;
}

export interface SpanTrace {
  traceId: string;
  /** Roots (including spans whose parent is missing), by start time; children by start time. */
  roots: TraceNode[];
  spanCount: number;
  startNs: number;
  endNs: number;
  warnings: string[];
}

interface Wrapped extends Linkable {
  span: Span;
}

/** Groups spans by trace (in first-seen order) and builds each trace's span forest. */
export function buildTraces(spans: Iterable<Span>, options: { clockToleranceMs?: number } = {}): SpanTrace[] {
  const toleranceNs = Math.max(0, options.clockToleranceMs ?? CLOCK_TOLERANCE_MS) * 1e6;
  const groups = new Map<string, Wrapped[]>();
  for (const span of spans) {
    let group = groups.get(span.traceId);
    if (group === undefined) groups.set(span.traceId, (group = []));
    group.push({ spanId: span.spanId, parentId: span.parentSpanId ?? "", start: span.startNs, end: span.endNs, span });
  }
  const traces: SpanTrace[] = [];
  for (const [traceId, group] of groups) {
    const linked = linkTrace(group, toleranceNs);
    const self = selfTimes(linked);
    const crit = criticalTimes(linked, toleranceNs);
    const treeNodes: TraceNode[] = linked.nodes.map((w, i) => ({
      span: w.end === w.span.endNs ? w.span : { ...w.span, endNs: w.end },
      children: [],
      selfNs: self[i]!,
      criticalNs: crit[i]!,
    }));
    let startNs = Infinity;
    let endNs = -Infinity;
    for (let i = 0; i < linked.nodes.length; i++) {
      const w = linked.nodes[i]!;
      if (w.start < startNs) startNs = w.start;
      if (w.end > endNs) endNs = w.end;
      for (let c = linked.childStart[i]!; c < linked.childStart[i + 1]!; c++) {
        treeNodes[i]!.children.push(treeNodes[linked.childIdx[c]!]!);
      }
    }
    traces.push({
      traceId,
      roots: linked.roots.map((r) => treeNodes[r]!),
      spanCount: linked.nodes.length,
      startNs,
      endNs,
      warnings: traceWarnings(linked.issues, traceId),
    });
  }
  return traces;
}
