// One logical LLM call, one count. Inference spans nested in another inference span (our
// llm_call under an SDK's own span, the AI SDK's doGenerate over the HTTP-level call, two
// instrumentations wrapping one client method) are the same call: the outermost keeps the
// call's time, its usage becomes the best record of the group, and the inner spans become part
// of the call (their time is the call's, as an HTTP span below an llm_call is).
//
// The best record: among the records with token usage, the deepest (closest to the provider's
// response; a wrapper's figures are a copy), then the one recording the most figures. Figures
// it lacks are filled from the others, deepest first. Usage is never summed.

import type { LinkedTrace } from "./link-trace.js";
import { Role, Usage, TOKEN_USAGE, type LlmInfo, type SpanNode } from "./span-node.js";

export interface MergeResult {
  /** Inference spans folded into an enclosing one. */
  merged: number;
  /** Calls (after merging) with no token usage recorded anywhere. */
  withoutUsage: number;
}

export function mergeNestedCalls(trace: LinkedTrace<SpanNode>): MergeResult {
  const { nodes, parent, order } = trace;
  const n = nodes.length;
  const outer = new Int32Array(n);
  const depth = new Int32Array(n);
  const inner = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const p = parent[i]!;
    depth[i] = p >= 0 ? depth[p]! + 1 : 0;
    const above = p >= 0 ? outer[p]! : -1;
    outer[i] = nodes[i]!.role === Role.Llm && above < 0 ? i : above;
    if (nodes[i]!.role === Role.Llm && above >= 0) {
      const list = inner.get(above);
      if (list === undefined) inner.set(above, [i]);
      else list.push(i);
    }
  }
  let merged = 0;
  for (const [top, members] of inner) {
    const group = [top, ...members].map((i) => ({ llm: nodes[i]!.llm!, depth: depth[i]! })).sort((a, b) => b.depth - a.depth);
    nodes[top]!.llm = bestRecord(group);
    for (const m of members) {
      nodes[m]!.role = Role.Other;
      nodes[m]!.llm = undefined;
    }
    merged += members.length;
  }
  let withoutUsage = 0;
  // A failed call has no usage to record; only a successful one without it is worth a warning.
  for (const node of nodes) if (node.role === Role.Llm && !node.error && (node.llm!.recorded & TOKEN_USAGE) === 0) withoutUsage++;
  return { merged, withoutUsage };
}

const FILLS: readonly [number, (from: LlmInfo, to: LlmInfo) => void][] = [
  [Usage.Input, (f, t) => (t.inputTokens = f.inputTokens)],
  [Usage.Output, (f, t) => (t.outputTokens = f.outputTokens)],
  [Usage.CacheRead, (f, t) => (t.cacheReadTokens = f.cacheReadTokens)],
  [Usage.CacheWrite, (f, t) => (t.cacheWriteTokens = f.cacheWriteTokens)],
  [Usage.Reasoning, (f, t) => (t.reasoningTokens = f.reasoningTokens)],
  [Usage.Cost, (f, t) => (t.costUsd = f.costUsd)],
];

/** `group` deepest first. */
function bestRecord(group: readonly { llm: LlmInfo; depth: number }[]): LlmInfo {
  let primary: { llm: LlmInfo; depth: number } | undefined;
  for (const r of group) {
    if ((r.llm.recorded & TOKEN_USAGE) === 0) continue;
    if (primary === undefined) primary = r;
    else if (r.depth === primary.depth && bitCount(r.llm.recorded) > bitCount(primary.llm.recorded)) primary = r;
  }
  // Without token usage anywhere, the outermost record stands for the call.
  const best: LlmInfo = { ...(primary ?? group[group.length - 1]!).llm };
  for (const { llm } of group) {
    for (const [bit, fill] of FILLS) {
      if ((best.recorded & bit) === 0 && (llm.recorded & bit) !== 0) {
        fill(llm, best);
        best.recorded |= bit;
      }
    }
    if (best.provider === "unknown") best.provider = llm.provider;
    if (best.model === "unknown") best.model = llm.model;
    if (best.pricedModel === "unknown") best.pricedModel = llm.pricedModel;
    if (best.promptHash === "") best.promptHash = llm.promptHash;
  }
  return best;
}

function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count++;
  return count;
}
