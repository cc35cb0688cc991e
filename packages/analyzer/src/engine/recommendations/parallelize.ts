// parallelize: sibling steps, or sibling LLM calls, under one parent that ran one after
// another. If they ran concurrently the parent would wait for the longest one only, so the
// saving is the union of their intervals minus the longest, bounded by the critical-path time
// they actually hold.

import { EXAMPLE_TRACES } from "../constants.js";
import { ms } from "../numbers.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { addExample, examplesText, type Recommendation } from "./types.js";

interface Group {
  target: string;
  parents: number;
  children: number;
  savingNs: number;
  traces: string[];
}

export class ParallelizeAdvisor {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly toleranceNs: number) {}

  addTrace(f: TraceFacts): void {
    const { nodes, childStart } = f.trace;
    for (let i = 0; i < nodes.length; i++) {
      if (childStart[i + 1]! - childStart[i]! < 2) continue;
      this.consider(f, i, Role.Step);
      this.consider(f, i, Role.Llm);
    }
  }

  private consider(f: TraceFacts, parent: number, role: Role): void {
    const { nodes, childStart, childIdx } = f.trace;
    let count = 0;
    let runs = 0; // groups that start after everything before them ended (within the clock tolerance)
    let unionNs = 0;
    let longestNs = 0;
    let critNs = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    // Children are sorted by start, so their union is one pass.
    for (let c = childStart[parent]!; c < childStart[parent + 1]!; c++) {
      const k = childIdx[c]!;
      const child = nodes[k]!;
      // A failed call (a 429, a timeout) is usually retried: not work to run side by side.
      if (child.role !== role || (role === Role.Llm && child.error)) continue;
      count++;
      critNs += f.subtreeCritNs[k]!;
      longestNs = Math.max(longestNs, child.end - child.start);
      if (child.start >= runEnd - this.toleranceNs) runs++;
      if (child.start > runEnd) {
        if (runEnd > runStart) unionNs += runEnd - runStart;
        runStart = child.start;
        runEnd = child.end;
      } else if (child.end > runEnd) runEnd = child.end;
    }
    if (runs < 2) return;
    if (runEnd > runStart) unionNs += runEnd - runStart;
    const savingNs = Math.min(unionNs - longestNs, critNs);
    if (!(savingNs > 0)) return;
    const kind = role === Role.Step ? "steps" : "LLM calls";
    // Calls inside a step attempt ("attempt 1") are named after the step.
    const grand = f.trace.parent[parent]!;
    const owner = nodes[parent]!.role === Role.Attempt && grand >= 0 ? nodes[grand]! : nodes[parent]!;
    const target = `${kind} under "${owner.name}"`;
    let g = this.groups.get(target);
    if (g === undefined) this.groups.set(target, (g = { target, parents: 0, children: 0, savingNs: 0, traces: [] }));
    g.parents++;
    g.children += count;
    g.savingNs += savingNs;
    addExample(g.traces, f.traceId, EXAMPLE_TRACES);
  }

  recommendations(): Recommendation[] {
    return [...this.groups.values()].map((g) => ({
      kind: "parallelize" as const,
      target: g.target,
      estimatedSavingMs: ms(g.savingNs),
      estimatedSavingUsd: 0,
      evidence: `${g.children} ${g.target.startsWith("steps") ? "steps" : "LLM calls"} in ${g.parents} parent span(s) ran one after another; if independent, running them concurrently shortens the critical path${examplesText(g.traces)}`,
    }));
  }
}
