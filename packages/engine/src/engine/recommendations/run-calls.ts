// The LLM calls of each run of a trace (its invoke_workflow span, else the whole trace), by start.

import { Role, type SpanNode } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";

export function callsByRun(f: TraceFacts): SpanNode[][] {
  const runs = new Map<number, SpanNode[]>();
  const nodes = f.trace.nodes;
  for (let i = 0; i < nodes.length; i++) {
    if (nodes[i]!.role !== Role.Llm) continue;
    const w = f.workflowOf[i]!;
    let list = runs.get(w);
    if (list === undefined) runs.set(w, (list = []));
    list.push(nodes[i]!);
  }
  return [...runs.values()].map((list) => list.sort((a, b) => a.start - b.start));
}
