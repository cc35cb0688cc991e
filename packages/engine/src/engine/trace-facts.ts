// Everything the report's accumulators read about one trace, computed once per trace.

import { criticalTimes } from "./critical-path.js";
import { isStep, resolveFrameworkSteps } from "./framework-steps.js";
import { linkTrace, type LinkedTrace } from "./link-trace.js";
import { mergeCalls, type MergeResult } from "./merge-calls.js";
import { unionLength } from "./numbers.js";
import { selfTimes } from "./self-time.js";
import { Role, type SpanNode } from "./span-node.js";

export interface TraceFacts {
  traceId: string;
  trace: LinkedTrace<SpanNode>;
  selfNs: Float64Array;
  /** Time each span itself is on the critical path. */
  critNs: Float64Array;
  /** Critical-path time of each span's whole subtree. */
  subtreeCritNs: Float64Array;
  /** Nearest step span at or above each span, -1 if none (attempt spans are not steps). */
  stepOf: Int32Array;
  /** Nearest workflow span at or above each span, -1 if none. */
  workflowOf: Int32Array;
  /**
   * 1 for an LLM span and every span below one (the HTTP request under an llm_call, say): the
   * report attributes their time to the LLM call, never to them.
   */
  inLlm: Uint8Array;
  startNs: number;
  endNs: number;
  wallNs: number;
  /** Sum of the roots' durations: the length of the trace's critical paths. */
  critTotalNs: number;
  llmUnionNs: number;
  toolUnionNs: number;
  llmOrToolUnionNs: number;
  /** Critical-path time in LLM spans and their descendants. */
  llmCritNs: number;
  /** Nested inference spans counted as one call, and calls that recorded no token usage. */
  calls: MergeResult;
}

export function traceFacts(traceId: string, nodes: SpanNode[], clockToleranceNs: number): TraceFacts {
  const trace = linkTrace(nodes, clockToleranceNs);
  resolveFrameworkSteps(trace);
  const calls = mergeCalls(trace, clockToleranceNs);
  const n = trace.nodes.length;
  const { parent, order } = trace;
  const critNs = criticalTimes(trace, clockToleranceNs);
  const subtreeCritNs = critNs.slice();
  for (let k = n - 1; k > 0; k--) {
    const i = order[k]!;
    const p = parent[i]!;
    if (p >= 0) subtreeCritNs[p]! += subtreeCritNs[i]!;
  }
  const stepOf = new Int32Array(n);
  const workflowOf = new Int32Array(n);
  const inLlm = new Uint8Array(n);
  let llmCritNs = 0;
  let startNs = Infinity;
  let endNs = -Infinity;
  let llmCount = 0;
  let toolCount = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const node = trace.nodes[i]!;
    const p = parent[i]!;
    stepOf[i] = isStep(node) ? i : p >= 0 ? stepOf[p]! : -1;
    workflowOf[i] = node.role === Role.Workflow ? i : p >= 0 ? workflowOf[p]! : -1;
    inLlm[i] = node.role === Role.Llm || node.role === Role.MergedLlm || (p >= 0 && inLlm[p] === 1) ? 1 : 0;
    if (inLlm[i]) llmCritNs += critNs[i]!;
    if (node.start < startNs) startNs = node.start;
    if (node.end > endNs) endNs = node.end;
    if (node.role === Role.Llm) llmCount++;
    else if (node.role === Role.Tool && !inLlm[i]) toolCount++;
  }
  const llm = intervals(trace.nodes, llmCount, Role.Llm, -1, undefined);
  const tools = intervals(trace.nodes, toolCount, Role.Tool, -1, inLlm);
  const either = intervals(trace.nodes, llmCount + toolCount, Role.Llm, Role.Tool, inLlm);
  let critTotalNs = 0;
  for (const r of trace.roots) critTotalNs += trace.nodes[r]!.end - trace.nodes[r]!.start;
  return {
    traceId,
    trace,
    selfNs: selfTimes(trace),
    critNs,
    subtreeCritNs,
    stepOf,
    workflowOf,
    inLlm,
    startNs: n > 0 ? startNs : 0,
    endNs: n > 0 ? endNs : 0,
    wallNs: n > 0 ? endNs - startNs : 0,
    critTotalNs,
    llmUnionNs: unionLength(llm.starts, llm.ends),
    toolUnionNs: unionLength(tools.starts, tools.ends),
    llmOrToolUnionNs: unionLength(either.starts, either.ends),
    llmCritNs,
    calls,
  };
}

/** Intervals of the spans with either role; tools below an LLM span (`inLlm`) are part of the call. */
function intervals(
  nodes: readonly SpanNode[],
  count: number,
  role: Role,
  orRole: number,
  inLlm: Uint8Array | undefined,
): { starts: Float64Array; ends: Float64Array } {
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let k = 0;
  if (count > 0) {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== role && node.role !== orRole) continue;
      if (inLlm !== undefined && node.role === Role.Tool && inLlm[i]) continue;
      starts[k] = node.start;
      ends[k++] = node.end;
    }
  }
  return { starts, ends };
}
