// One logical LLM call, one count. Inference spans nested in another inference span (our
// llm_call under an SDK's own span, the AI SDK's doGenerate over the HTTP-level call, two
// instrumentations wrapping one client method) are the same call: the outermost keeps the
// call's time, its usage becomes the best record of the group, and the inner spans become part
// of the call (their time is the call's, as an HTTP span below an llm_call is).
//
// An instrumentation that records a call without making its span current (OpenInference on
// LangChain, say) leaves the HTTP-level call beside it rather than inside. Two calls that are not
// nested are still one when one lies within the other's time, both recorded the same input and
// output tokens, the provider does not differ, and they come from different instrumentations
// (another dialect or span name: one instrumentation never records a request twice).
//
// The best record: among the records with token usage, the deepest (closest to the provider's
// response; a wrapper's figures are a copy; of two siblings, the one within the other's time),
// then the one recording the most figures. Figures it lacks are filled from the others, deepest
// first. Usage is never summed.

import type { LinkedTrace } from "./link-trace.js";
import type { CallInsight } from "./call-insight.js";
import { resolveRollups } from "./rollups.js";
import { Role, Usage, TOKEN_USAGE, type LlmInfo, type SpanNode } from "./span-node.js";

export interface MergeResult {
  /** Inference spans folded into another one's call. */
  merged: number;
  /** Successful calls (after merging) with no token usage recorded anywhere. */
  withoutUsage: number;
}

/**
 * `clockToleranceNs`: how far one span may seem to stick out of the other's time and still lie
 * within it (OpenTelemetry JS starts spans on whole milliseconds of Date.now(), so two spans
 * around one request can come out a millisecond apart either way).
 */
export function mergeCalls(trace: LinkedTrace<SpanNode>, clockToleranceNs = 0): MergeResult {
  resolveRollups(trace);
  const merged = mergeNested(trace) + mergeSiblings(trace.nodes, clockToleranceNs);
  let withoutUsage = 0;
  // A failed call has no usage to record; only a successful one without it is worth a warning.
  for (const node of trace.nodes) if (node.role === Role.Llm && !node.error && (node.llm!.recorded & TOKEN_USAGE) === 0) withoutUsage++;
  return { merged, withoutUsage };
}

function mergeNested(trace: LinkedTrace<SpanNode>): number {
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
    const calls = [top, ...members].sort((a, b) => depth[b]! - depth[a]!).map((i) => nodes[i]!.call);
    nodes[top]!.call = bestInsight(calls);
    for (const m of members) foldInto(nodes[m]!);
    merged += members.length;
  }
  return merged;
}

function mergeSiblings(nodes: readonly SpanNode[], toleranceNs: number): number {
  const calls: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (nodes[i]!.role === Role.Llm) calls.push(i);
  if (calls.length < 2) return 0;
  // By start, the longer first: a call that holds another comes before it.
  calls.sort((a, b) => nodes[a]!.start - nodes[b]!.start || nodes[b]!.end - nodes[a]!.end);
  let open: number[] = [];
  let merged = 0;
  for (const i of calls) {
    const call = nodes[i]!;
    open = open.filter((o) => nodes[o]!.end + toleranceNs >= call.start);
    const holder = open.find((o) => sameCall(nodes[o]!, call, toleranceNs));
    if (holder === undefined) {
      open.push(i);
      continue;
    }
    nodes[holder]!.llm = bestRecord([
      { llm: call.llm!, depth: 1 },
      { llm: nodes[holder]!.llm!, depth: 0 },
    ]);
    nodes[holder]!.call = bestInsight([call.call, nodes[holder]!.call]);
    foldInto(call);
    merged++;
  }
  return merged;
}

/**
 * `inner` lies within `outer`'s time and both recorded the same request, by different
 * instrumentations: the same usage, or (one of them recorded none: OpenLLMetry's LangChain span
 * of a Responses API call) the same model.
 */
function sameCall(outer: SpanNode, inner: SpanNode, toleranceNs: number): boolean {
  const a = outer.llm!;
  const b = inner.llm!;
  if (
    !(outer.start <= inner.start + toleranceNs && inner.end <= outer.end + toleranceNs) ||
    (outer.dialect === inner.dialect && outer.name === inner.name) ||
    !(a.provider === b.provider || a.provider === "unknown" || b.provider === "unknown")
  )
    return false;
  const aUsage = (a.recorded & TOKEN_USAGE) === TOKEN_USAGE;
  const bUsage = (b.recorded & TOKEN_USAGE) === TOKEN_USAGE;
  if (aUsage && bUsage) return a.inputTokens === b.inputTokens && a.outputTokens === b.outputTokens;
  if ((a.recorded & TOKEN_USAGE) !== 0 && !aUsage) return false;
  if ((b.recorded & TOKEN_USAGE) !== 0 && !bUsage) return false;
  return aUsage !== bUsage && a.model !== "unknown" && (a.model === b.model || a.pricedModel === b.pricedModel);
}

/** The span is part of another span's call: its time is the call's, its usage already merged. */
function foldInto(node: SpanNode): void {
  node.role = Role.MergedLlm;
  node.llm = undefined;
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

/**
 * The insight facts of a merged call (deepest record first): each from the first record that has
 * it. Our capture's llm_call, next to the provider, usually holds them all.
 */
function bestInsight(calls: readonly (CallInsight | undefined)[]): CallInsight | undefined {
  const present = calls.filter((c): c is CallInsight => c !== undefined);
  if (present.length <= 1) return present[0];
  const pick = <K extends keyof CallInsight>(key: K, has: (v: CallInsight[K]) => boolean): CallInsight[K] =>
    (present.find((c) => has(c[key])) ?? present[0]!)[key];
  const nonEmpty = (v: readonly unknown[]) => v.length > 0;
  return {
    prefixHashes: pick("prefixHashes", nonEmpty),
    prefixTokens: pick("prefixTokens", nonEmpty),
    toolResultBytes: pick("toolResultBytes", nonEmpty),
    toolResultNames: pick("toolResultNames", nonEmpty),
    toolCallHashes: pick("toolCallHashes", nonEmpty),
    toolCallNames: pick("toolCallNames", nonEmpty),
    maxTokens: pick("maxTokens", (v) => v > 0),
    finishReasons: pick("finishReasons", nonEmpty),
    httpStatus: pick("httpStatus", (v) => v > 0),
    errorType: pick("errorType", (v) => v !== ""),
    retryAfterMs: pick("retryAfterMs", (v) => v >= 0),
  };
}

function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count++;
  return count;
}
