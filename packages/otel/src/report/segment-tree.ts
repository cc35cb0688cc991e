// The segment tree of the profiler report: every trace's span tree (from the analyzer engine's
// buildTraces, which owns self time) merged by name path, so 100 calls of `plan > llm_call`
// show as one line with count 100.
import type { Span } from "@jotty/engine";
import { buildTraces, type TraceNode } from "@jotty/engine/engine";

export interface SegmentTreeNode {
  name: string;
  count: number;
  totalMs: number;
  selfMs: number;
  /** selfMs over the summed self time of every span: shares of a report add up to 100 %. */
  selfShare: number;
  errors: number;
  children: SegmentTreeNode[];
}

interface Building {
  name: string;
  count: number;
  totalNs: number;
  selfNs: number;
  errors: number;
  children: Map<string, Building>;
}

const newNode = (name: string): Building => ({ name, count: 0, totalNs: 0, selfNs: 0, errors: 0, children: new Map() });

export function buildSegmentTree(spans: Iterable<Span>): SegmentTreeNode[] {
  const root = newNode("");
  let selfTotalNs = 0;
  const add = (into: Building, node: TraceNode) => {
    let merged = into.children.get(node.span.name);
    if (merged === undefined) into.children.set(node.span.name, (merged = newNode(node.span.name)));
    merged.count++;
    merged.totalNs += Math.max(0, node.span.endNs - node.span.startNs);
    merged.selfNs += node.selfNs;
    selfTotalNs += node.selfNs;
    if (node.span.status.code === "ERROR") merged.errors++;
    for (const child of node.children) add(merged, child);
  };
  for (const trace of buildTraces(spans)) for (const r of trace.roots) add(root, r);
  const finish = (node: Building): SegmentTreeNode => ({
    name: node.name,
    count: node.count,
    totalMs: node.totalNs / 1e6,
    selfMs: node.selfNs / 1e6,
    selfShare: selfTotalNs > 0 ? node.selfNs / selfTotalNs : 0,
    errors: node.errors,
    children: [...node.children.values()].map(finish).sort((a, b) => b.totalMs - a.totalMs),
  });
  return finish(root).children;
}
