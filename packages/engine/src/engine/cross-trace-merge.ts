// One call, one count, across traces. An instrumentation that records a call without making its
// span current (OpenInference on LangGraph, the OpenAI Agents processor) or that exports through
// a pipeline of its own (Mastra's exporter) leaves the HTTP-level call that another
// instrumentation recorded (our llm_call) at the root of a trace of its own. Such a trace is
// small and its root is an inference span: the builder holds it back until every other trace is
// analysed, and it is the same call as an indexed one when both recorded the same model and the
// same input and output tokens, it lies within the other's time (clock tolerance), their
// providers do not differ, and they come from different instrumentations. The duplicate trace is
// then part of the other's call: none of its figures is counted again (it still counts as a
// trace read; without our capture its HTTP span would have been a trace of its own).
//
// Linear: calls are indexed by model and usage, each key's calls by start, and a lookup walks
// back only over the calls that can still hold it (those starting no earlier than its end less
// the key's longest call).

import { CROSS_TRACE_HOLD_MAX_RUN_SPANS, CROSS_TRACE_HOLD_MAX_SPANS, CROSS_TRACE_MAX_HELD_SPANS, CROSS_TRACE_MAX_INDEXED_CALLS } from "./constants.js";
import { Frame, Role, TOKEN_USAGE, type LlmInfo, type SpanNode } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";
import { PartsNotMergeable } from "./merge-state.js";

/** A part of a file that held no trace hands over its index only up to this many calls (memory): past it, a held trace of another part refuses the merge. */
const HANDED_OVER_MAX_CALLS = 20_000;

export interface IndexedCall {
  traceId: string;
  start: number;
  end: number;
  provider: string;
  instrument: string;
  /** Instruments whose duplicate this call already took (one request is recorded once by each). */
  took: Set<string> | undefined;
}

export interface CallsOfKey {
  calls: IndexedCall[];
  longestNs: number;
}

export interface HeldTrace {
  traceId: string;
  nodes: SpanNode[];
  root: SpanNode;
}

export interface HeldRun {
  traceId: string;
  nodes: SpanNode[];
}

export class CrossTraceMerge {
  private readonly byKey = new Map<string, CallsOfKey>();
  private held: HeldTrace[] = [];
  private heldRuns: HeldRun[] = [];
  private heldSpans = 0;
  private indexed = 0;
  /** Inference spans found to be another trace's call. */
  merged = 0;
  /** Traces that may be another's call or hold one but were analysed without being held (evicted early, or past the held cap). */
  private unheld = 0;
  /** Merged from parts of a file (merge()): exact only while no trace turns out to be another's call. */
  private fromParts = false;
  /** A part handed over no index (it was big): held traces cannot be released exactly. */
  private partialIndex = false;

  /** `absorbed`: a trace found to be another's call, to be counted as read (none of its figures). */
  constructor(
    private readonly toleranceNs: number,
    private readonly absorbed: (traceId: string, nodes: readonly SpanNode[]) => void,
  ) {}

  /**
   * True when the trace is taken: a duplicate of an indexed call (dropped), or held back for
   * finish. False when it is to be analysed now.
   */
  hold(traceId: string, nodes: SpanNode[]): boolean {
    const root = loneRootCall(nodes);
    if (root === undefined) {
      if (!isFrameworkRun(nodes)) return false;
      if (this.heldSpans + nodes.length > CROSS_TRACE_MAX_HELD_SPANS) {
        this.unheld++;
        return false;
      }
      this.heldRuns.push({ traceId, nodes });
      this.heldSpans += nodes.length;
      return true;
    }
    if (hasUsage(root) && this.absorb(traceId, nodes, root)) return true;
    if (this.heldSpans + nodes.length > CROSS_TRACE_MAX_HELD_SPANS) {
      this.unheld++;
      return false;
    }
    this.held.push({ traceId, nodes, root });
    this.heldSpans += nodes.length;
    return true;
  }

  /** A whole trace analysed before it could be held (the pending window evicted it). */
  notHeld(nodes: readonly SpanNode[]): void {
    if (loneRootCall(nodes) !== undefined || isFrameworkRun(nodes)) this.unheld++;
  }

  /** What a part of a file gathered: its held traces (not yet released) and its index. */
  state() {
    const holds = this.held.length + this.heldRuns.length > 0;
    const byKey = holds || this.indexed <= HANDED_OVER_MAX_CALLS ? this.byKey : undefined;
    return { byKey, held: this.held, heldRuns: this.heldRuns, heldSpans: this.heldSpans, indexed: this.indexed, merged: this.merged, unheld: this.unheld };
  }

  /** Folds in a later part's state: its held traces are released with every part's at finish. */
  merge(s: ReturnType<CrossTraceMerge["state"]>): void {
    this.fromParts = true;
    if (s.merged > 0 || s.unheld > 0) throw new PartsNotMergeable("a part took or could not hold a trace that may be another's call");
    if (s.byKey === undefined) this.partialIndex = true;
    else for (const [key, entry] of s.byKey) for (const call of entry.calls) this.add(key, call);
    for (const h of s.held) this.held.push(h);
    for (const r of s.heldRuns) this.heldRuns.push(r);
    this.heldSpans += s.heldSpans;
    this.indexed += s.indexed;
    if (this.heldSpans > CROSS_TRACE_MAX_HELD_SPANS) throw new PartsNotMergeable("the parts held more traces than one pass holds");
  }

  /** Indexes the calls of an analysed trace. */
  index(f: TraceFacts): void {
    for (const node of f.trace.nodes) {
      if (node.role !== Role.Llm || (node.llm!.recorded & TOKEN_USAGE) !== TOKEN_USAGE) continue;
      if (this.indexed >= CROSS_TRACE_MAX_INDEXED_CALLS) return;
      this.indexed++;
      const call: IndexedCall = {
        traceId: f.traceId,
        start: node.start,
        end: node.end,
        provider: node.llm!.provider,
        instrument: instrumentOf(node),
        took: undefined,
      };
      for (const key of keysOf(node.llm!)) this.add(key, call);
      for (const key of modelKeysOf(node.llm!)) this.add(key, call);
    }
  }

  /**
   * The held traces no other call took, longest first (a held call may take a shorter one), to be
   * analysed. Then the held calls without usage (OpenLLMetry's LangChain span of a Responses API
   * call, never current): the duplicate of a call with usage of the same model within their time.
   */
  release(analyse: (traceId: string, nodes: SpanNode[]) => void): void {
    if (this.partialIndex && this.held.length + this.heldRuns.length > 0) throw new PartsNotMergeable("a held trace and a part's index not handed over");
    // Framework runs exported apart first (Mastra's exporter beside our llm_calls in the app's
    // trace): their calls that an analysed trace recorded are folded, the rest of each run is
    // analysed. Then the small traces, which the runs' calls may take.
    const runs = this.heldRuns;
    this.heldRuns = [];
    for (const r of runs) {
      this.merged += foldDuplicates(r.nodes, (node) => this.find(r.traceId, node) ?? this.findWithin(r.traceId, node, keysOf(node.llm!)));
      analyse(r.traceId, r.nodes);
    }
    const held = this.held.sort((a, b) => b.root.end - b.root.start - (a.root.end - a.root.start));
    this.held = [];
    this.heldSpans = 0;
    for (const h of held) if (hasUsage(h.root) && !this.absorb(h.traceId, h.nodes, h.root)) analyse(h.traceId, h.nodes);
    for (const h of held) {
      if (hasUsage(h.root)) continue;
      if (this.findWithin(h.traceId, h.root, modelKeysOf(h.root.llm!)) === undefined) analyse(h.traceId, h.nodes);
      else {
        for (const node of h.nodes) if (node.role === Role.Llm) this.merged++;
        this.absorbed(h.traceId, h.nodes);
      }
    }
    // Which call takes which duplicate depends on the order one pass meets them in.
    if (this.fromParts && this.merged > 0) throw new PartsNotMergeable("a trace of the parts is another trace's call");
  }

  /** A call of one of `keys`, in another trace and instrumentation, within `outer`'s time. */
  private findWithin(traceId: string, outer: SpanNode, keys: readonly string[]): IndexedCall | undefined {
    const instrument = instrumentOf(outer);
    const tol = this.toleranceNs;
    for (const key of keys) {
      const calls = this.byKey.get(key)?.calls;
      if (calls === undefined) continue;
      for (let i = lastStartingBy(calls, outer.end + tol); i >= 0; i--) {
        const c = calls[i]!;
        if (c.start < outer.start - tol) break;
        if (
          c.end <= outer.end + tol &&
          c.traceId !== traceId &&
          c.instrument !== instrument &&
          c.took?.has(instrument) !== true &&
          compatible(c.provider, outer.llm!.provider)
        ) {
          (c.took ??= new Set()).add(instrument);
          return c;
        }
      }
    }
    return undefined;
  }

  private absorb(traceId: string, nodes: readonly SpanNode[], root: SpanNode): boolean {
    const holder = this.find(traceId, root);
    if (holder === undefined) return false;
    (holder.took ??= new Set()).add(instrumentOf(root));
    for (const node of nodes) if (node.role === Role.Llm) this.merged++;
    this.absorbed(traceId, nodes);
    return true;
  }

  private find(traceId: string, call: SpanNode): IndexedCall | undefined {
    const llm = call.llm!;
    const instrument = instrumentOf(call);
    const tol = this.toleranceNs;
    for (const key of keysOf(llm)) {
      const entry = this.byKey.get(key);
      if (entry === undefined) continue;
      const { calls, longestNs } = entry;
      // The last call starting no later than this one (with tolerance), then back while one could still hold it.
      for (let i = lastStartingBy(calls, call.start + tol); i >= 0; i--) {
        const c = calls[i]!;
        if (c.start < call.end - tol - longestNs) break;
        if (
          call.end <= c.end + tol &&
          c.traceId !== traceId &&
          c.instrument !== instrument &&
          c.took?.has(instrument) !== true &&
          compatible(c.provider, llm.provider)
        )
          return c;
      }
    }
    return undefined;
  }

  private add(key: string, call: IndexedCall): void {
    let entry = this.byKey.get(key);
    if (entry === undefined) this.byKey.set(key, (entry = { calls: [], longestNs: 0 }));
    const { calls } = entry;
    if (calls.length === 0 || calls[calls.length - 1]!.start <= call.start) calls.push(call);
    else calls.splice(lastStartingBy(calls, call.start) + 1, 0, call);
    entry.longestNs = Math.max(entry.longestNs, call.end - call.start);
  }
}

/**
 * A framework's run in a trace of its own: the root frames a run (an agent, a workflow) and some
 * inference span below it recorded usage. Held until the others are analysed, so its calls that
 * our capture recorded in the app's trace count once.
 */
function isFrameworkRun(nodes: readonly SpanNode[]): boolean {
  if (nodes.length > CROSS_TRACE_HOLD_MAX_RUN_SPANS) return false;
  const ids = new Set(nodes.map((n) => n.spanId));
  let roots = 0;
  let framed = false;
  let calls = false;
  for (const node of nodes) {
    if (node.parentId === "" || !ids.has(node.parentId)) {
      roots++;
      framed = node.frame === Frame.Container;
    }
    if (node.role === Role.Llm && hasUsage(node)) calls = true;
  }
  return roots === 1 && framed && calls;
}

/**
 * Folds the run's inference spans that `duplicate` finds recorded elsewhere, with the inference
 * spans nested with them (Mastra's step over its inference span); returns how many were folded.
 */
function foldDuplicates(nodes: SpanNode[], duplicate: (node: SpanNode) => IndexedCall | undefined): number {
  const byId = new Map(nodes.map((n) => [n.spanId, n]));
  const parentOf = (n: SpanNode) => (n.parentId === "" ? undefined : byId.get(n.parentId));
  const isCall = (n: SpanNode | undefined): n is SpanNode => n !== undefined && n.role === Role.Llm && n.llm!.rollup !== true;
  const folded = new Set<SpanNode>();
  for (const node of nodes) {
    if (node.role !== Role.Llm || node.llm!.rollup === true || !hasUsage(node) || folded.has(node)) continue;
    const holder = duplicate(node);
    if (holder === undefined) continue;
    (holder.took ??= new Set()).add(instrumentOf(node));
    folded.add(node);
    for (let p = parentOf(node); isCall(p); p = parentOf(p)) folded.add(p);
  }
  if (folded.size === 0) return 0;
  // Inference spans below a folded one are the same request.
  for (const node of nodes) {
    if (!isCall(node) || folded.has(node)) continue;
    for (let p = parentOf(node); isCall(p); p = parentOf(p)) if (folded.has(p)) folded.add(node);
  }
  for (const node of folded) {
    node.role = Role.MergedLlm;
    node.llm = undefined;
  }
  return folded.size;
}

const hasUsage = (node: SpanNode): boolean => (node.llm!.recorded & TOKEN_USAGE) === TOKEN_USAGE;
const compatible = (a: string, b: string): boolean => a === b || a === "unknown" || b === "unknown";

/** Keys of a call by model alone (for a record without usage), apart from the model-and-usage keys. */
function modelKeysOf(llm: LlmInfo): string[] {
  if (llm.model === "unknown") return [];
  const key = (m: string) => `${m}\u0000model`;
  return llm.model === llm.pricedModel ? [key(llm.model)] : [key(llm.model), key(llm.pricedModel)];
}

/** The trace's one root, when it is an inference span (with token usage, or none at all) and the trace is small. */
function loneRootCall(nodes: readonly SpanNode[]): SpanNode | undefined {
  if (nodes.length > CROSS_TRACE_HOLD_MAX_SPANS) return undefined;
  const ids = new Set(nodes.map((n) => n.spanId));
  let root: SpanNode | undefined;
  for (const node of nodes) {
    if (node.parentId !== "" && ids.has(node.parentId)) continue;
    if (root !== undefined) return undefined;
    root = node;
  }
  if (root === undefined || root.role !== Role.Llm) return undefined;
  const tokens = root.llm!.recorded & TOKEN_USAGE;
  if (tokens !== TOKEN_USAGE && (tokens !== 0 || root.error || root.llm!.model === "unknown")) return undefined;
  return root;
}

const instrumentOf = (node: SpanNode): string => `${node.dialect}\u0000${node.name}`;

/** The requested and the served model (one record may name either), each with the usage. */
function keysOf(llm: LlmInfo): string[] {
  const usage = `\u0000${llm.inputTokens}\u0000${llm.outputTokens}`;
  return llm.model === llm.pricedModel ? [llm.model + usage] : [llm.model + usage, llm.pricedModel + usage];
}

/** Index of the last call starting at or before `t`; -1 when none. */
function lastStartingBy(calls: readonly IndexedCall[], t: number): number {
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (calls[mid]!.start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
