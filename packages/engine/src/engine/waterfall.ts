// The spans of one trace in Jaeger UI's order (pre-order, children by start), as offsets from
// the trace's start: what the HTML report draws as the slowest trace's waterfall.

import type { Report } from "../report.js";
import { ms } from "./numbers.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

export type Waterfall = NonNullable<Report["waterfall"]>;

const KIND: Record<number, Waterfall["spans"][number]["kind"]> = {
  [Role.Llm]: "llm",
  [Role.Tool]: "tool",
  [Role.Step]: "step",
  [Role.Attempt]: "step",
  [Role.Workflow]: "workflow",
};

export function waterfallOf(f: TraceFacts, maxSpans: number): Waterfall {
  const { nodes, parent, order } = f.trace;
  const depth = new Int32Array(nodes.length);
  const spans: Waterfall["spans"] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const p = parent[i]!;
    depth[i] = p >= 0 ? depth[p]! + 1 : 0;
    if (spans.length >= maxSpans) continue;
    const node = nodes[i]!;
    spans.push({
      name: node.name,
      service: node.service,
      depth: depth[i]!,
      startMs: ms(node.start - f.startNs),
      durationMs: ms(node.end - node.start),
      kind: f.inLlm[i] && node.role !== Role.Llm ? "llm-transport" : (KIND[node.role] ?? "other"),
      error: node.error,
    });
  }
  return { traceId: f.traceId, spans, omittedSpans: nodes.length - spans.length };
}
