// The report builder: spans go in one at a time (compacted on arrival), each trace is analysed
// once complete (flushTrace) or at finish(), and only aggregates outlive a trace.

import type { Span } from "../model.js";
import type { Report } from "../report.js";
import { bottlenecks } from "./bottlenecks.js";
import { CHEAPER_MODELS, CLOCK_TOLERANCE_MS, DEFAULT_MAX_PENDING_SPANS, DEFAULT_TOP, LONE_CALLS_MAX } from "./constants.js";
import { catalogPrices } from "./catalog-prices.js";
import { Conversations, runsWithConversations } from "./conversations.js";
import { createCpuHotspotCollector } from "./cpu-hotspots.js";
import { CrossTraceMerge } from "./cross-trace-merge.js";
import { HeldOrphans } from "./held-orphans.js";
import { Keyed } from "./keyed.js";
import { LlmErrorStats } from "./llm-errors.js";
import { LlmRollup } from "./llm-rollup.js";
import { ms, share } from "./numbers.js";
import { OperationStats } from "./operations.js";
import { PlausibilityLog } from "./plausible.js";
import type { PriceLookup, ReportOptions } from "./options.js";
import { Findings } from "./recommendations/findings.js";
import { toSpanNode, type SpanNode } from "./span-node.js";
import { StepStats } from "./steps.js";
import { traceFacts, type TraceFacts } from "./trace-facts.js";
import { AnalysedTraces, type TraceExtent } from "./trace-ids.js";
import { TraceTotals } from "./trace-totals.js";
import { callsWithoutUsageWarning, crossTraceMergedWarning, mergedCallsWarning, TraceIssueLog } from "./warnings.js";

export interface ReportBuilder {
  add(span: Span): void;
  /** Analyse a trace now and free its spans; spans of it arriving later are reported as a warning. */
  flushTrace(traceId: string): void;
  finish(): Report;
}

/**
 * The builder over one part of an input split at line boundaries (worker threads): its state
 * merges into the builder of the whole (merge-state.ts). A trace whose spans straddle a split is
 * moved whole into the part where it began (takeTraces / addTraces) before either part ends.
 */
export interface PartReportBuilder extends ReportBuilder {
  /** Unanalysed traces: `head` began in the first `headSpans` spans (they may continue the part before), `tail` is all of them. */
  edges(): PartEdges;
  /** Those of the traces this part saw (held, analysed, or probably analysed); `afterHead`: leaving out its head traces. */
  seen(traceIds: readonly string[], afterHead: boolean): string[];
  /** Removes those of the traces still held and returns their spans, compacted. */
  takeTraces(traceIds: readonly string[]): HeldTrace[];
  /** Adds the spans another part took of traces this part holds. */
  addTraces(traces: readonly HeldTrace[]): void;
  /** Analyses every trace still held; what the part gathered, for merge(). */
  state(): BuilderState;
  /** Folds in a later part's state (parts merged in input order). */
  merge(state: BuilderState): void;
}

export interface PartEdges {
  head: string[];
  tail: string[];
  /** Traces analysed recently: one of them in a later part's head was analysed in parts (not merged exactly). */
  recent: string[];
  /** Head traces outgrew the pending window and some were analysed before the split was known. */
  headOverflow: boolean;
}

export type HeldTrace = [traceId: string, nodes: SpanNode[]];

export type BuilderState = ReturnType<ReturnType<typeof createPartBuilder>["state"]>;

export function buildReport(spans: Iterable<Span>, options: ReportOptions): Report {
  const builder = createReportBuilder(options);
  for (const span of spans) builder.add(span);
  return builder.finish();
}

export function createReportBuilder(options: ReportOptions): ReportBuilder {
  return createPartBuilder(options);
}

/** `headSpans`: traces that begin in the part's first headSpans spans wait for the split to be known (0 in the first part). */
export function createPartBuilder(options: ReportOptions, headSpans = 0) {
  const top = Math.max(0, Math.floor(options.top ?? DEFAULT_TOP));
  const toleranceNs = Math.max(0, options.clockToleranceMs ?? CLOCK_TOLERANCE_MS) * 1e6;
  const prices = options.prices === null ? undefined : (options.prices ?? defaultPrices());
  const inputRates = new Keyed<number>();
  const inputRate = (provider: string, model: string): number => {
    let rate = inputRates.get(provider, model);
    if (rate === undefined) inputRates.set(provider, model, (rate = prices?.(provider, model)?.input ?? 0));
    return rate;
  };
  const llm = new LlmRollup(prices);
  const operations = new OperationStats();
  const steps = new StepStats(llm, inputRate);
  const findings = new Findings({ llm, prices, inputRate, toleranceNs, cheaperModels: options.cheaperModels ?? ((p) => CHEAPER_MODELS[p] ?? []) });
  const conversations = new Conversations(llm);
  const errors = new LlmErrorStats();
  const warnings = new TraceIssueLog();
  const heldOrphans = new HeldOrphans((issues, traceId) => warnings.addTrace(issues, traceId));
  const cpu = createCpuHotspotCollector();

  // `earlier`: the trace was analysed before (it outgrew the pending window, or came after
  // flushTrace); this group is a later part of it. `old`: probably analysed before the window of
  // trace ids kept exactly (trace-ids.ts).
  const pending = new Map<string, { nodes: SpanNode[]; firstSeq: number; earlier: TraceExtent | undefined; old: boolean; head: boolean }>();
  const analysed = new AnalysedTraces();
  const plausible = new PlausibilityLog(options.plausible);
  const maxPending = Math.max(1, options.maxPendingSpans ?? DEFAULT_MAX_PENDING_SPANS);
  let pendingSpans = 0;
  let seq = 0;
  let spansAdded = 0;
  // Head traces wait until the part knows whether the part before holds them: kept apart from
  // the pending window (never evicted), up to a window of their own.
  let headHeld = 0;
  let headOverflow = false;
  let badTimes = 0;
  let mergedCalls = 0;
  let callsWithoutUsage = 0;
  const totals = new TraceTotals(top, options.waterfall === true);
  // A duplicate taken by another trace's call still counts as a trace read, with none of its figures.
  const crossTrace = new CrossTraceMerge(toleranceNs, (traceId, nodes) => {
    let startNs = Infinity;
    let endNs = -Infinity;
    for (const n of nodes) {
      startNs = Math.min(startNs, n.start);
      endNs = Math.max(endNs, n.end);
    }
    analysed.add(traceId, { startNs, endNs, spans: nodes.length });
  });

  // `mayHold`: a whole trace (not a part of one) may be a duplicate held back until finish().
  const analyse = (traceId: string, nodes: SpanNode[], earlier: TraceExtent | undefined, early: boolean, old: boolean, mayHold = true) => {
    if (mayHold && earlier === undefined) {
      if (!early) {
        if (crossTrace.hold(traceId, nodes)) return;
      } else crossTrace.notHeld(nodes);
    }
    const f: TraceFacts = traceFacts(traceId, nodes, toleranceNs);
    if (f.trace.nodes.length === 0) return;
    crossTrace.index(f);
    warnings.addTrace(heldOrphans.reportNow(traceId, f.trace.issues, earlier !== undefined, early), traceId);
    mergedCalls += f.calls.merged;
    callsWithoutUsage += f.calls.withoutUsage;
    totals.addTrace(f, earlier);
    analysed.add(traceId, { startNs: f.startNs, endNs: f.endNs, spans: f.trace.nodes.length }, earlier, old);
    operations.addTrace(f);
    llm.addTrace(f);
    steps.addTrace(f, earlier !== undefined);
    findings.addTrace(f);
    conversations.addTrace(f, earlier !== undefined);
    errors.addTrace(f);
    options.traceObserver?.addTrace(f, llm);
  };

  const flush = (traceId: string, early = false) => {
    const group = pending.get(traceId);
    if (group === undefined) return;
    pending.delete(traceId);
    if (group.head) headHeld -= group.nodes.length;
    else pendingSpans -= group.nodes.length;
    analyse(traceId, group.nodes, group.earlier, early, group.old);
  };

  // Bounded memory (and far less garbage-collector work on big inputs): past maxPendingSpans,
  // the traces that went longest without a new span are taken as complete and analysed.
  // `pending` is kept in that order (a trace that gets a span moves to the end), so this is a
  // walk from the front, not a sort of every pending trace.
  const evict = () => {
    for (const [traceId, group] of pending) {
      if (pendingSpans <= maxPending / 2) break;
      if (!group.head) flush(traceId, true);
    }
  };
  let lastTraceId: string | undefined;
  // In the order the traces were first seen, as they would be without evictions.
  const flushAll = () => {
    for (const [traceId] of [...pending].sort((a, b) => a[1].firstSeq - b[1].firstSeq)) flush(traceId);
  };

  const addNodes = (traceId: string, nodes: readonly SpanNode[]) => {
    let group = pending.get(traceId);
    if (group === undefined) pending.set(traceId, (group = { nodes: [], firstSeq: ++seq, earlier: undefined, old: false, head: false }));
    else {
      pending.delete(traceId);
      pending.set(traceId, group);
    }
    lastTraceId = traceId;
    for (const node of nodes) group.nodes.push(node);
    if (group.head) headHeld += nodes.length;
    else pendingSpans += nodes.length;
  };

  /** Past their window the head traces join the pending ones: the part can no longer be merged exactly. */
  const releaseHead = () => {
    headOverflow = true;
    for (const group of pending.values()) group.head = false;
    pendingSpans += headHeld;
    headHeld = 0;
    if (pendingSpans > maxPending) evict();
  };

  const state = () => {
    flushAll();
    return {
      llm: llm.state(),
      operations: operations.state(),
      steps: steps.state(),
      findings: findings.state(),
      conversations: conversations.state(),
      errors: errors.state(),
      crossTrace: crossTrace.state(),
      warnings: warnings.state(),
      heldOrphans: heldOrphans.state(),
      cpu: cpu.state(),
      analysed: analysed.state(),
      plausible: plausible.state(),
      totals: totals.state(),
      counts: { badTimes, mergedCalls, callsWithoutUsage },
    };
  };

  const merge = (s: ReturnType<typeof state>) => {
    llm.merge(s.llm);
    operations.merge(s.operations);
    steps.merge(s.steps);
    findings.merge(s.findings);
    conversations.merge(s.conversations);
    errors.merge(s.errors);
    crossTrace.merge(s.crossTrace);
    warnings.merge(s.warnings);
    heldOrphans.merge(s.heldOrphans);
    cpu.merge(s.cpu);
    analysed.merge(s.analysed);
    plausible.merge(s.plausible);
    totals.merge(s.totals);
    badTimes += s.counts.badTimes;
    mergedCalls += s.counts.mergedCalls;
    callsWithoutUsage += s.counts.callsWithoutUsage;
  };

  return {
    edges: (): PartEdges => ({
      head: [...pending].filter(([, g]) => g.head).map(([id]) => id),
      tail: [...pending.keys()],
      recent: analysed.recentIds(),
      headOverflow,
    }),
    seen: (traceIds: readonly string[], afterHead: boolean): string[] =>
      traceIds.filter((id) => {
        const group = pending.get(id);
        return (group !== undefined && !(afterHead && group.head)) || analysed.earlier(id) !== undefined || analysed.probablyOld(id);
      }),
    takeTraces(traceIds: readonly string[]): HeldTrace[] {
      const out: HeldTrace[] = [];
      for (const traceId of traceIds) {
        const group = pending.get(traceId);
        if (group === undefined) continue;
        pending.delete(traceId);
        if (group.head) headHeld -= group.nodes.length;
        else pendingSpans -= group.nodes.length;
        out.push([traceId, group.nodes]);
      }
      return out;
    },
    addTraces(traces: readonly HeldTrace[]): void {
      for (const [traceId, nodes] of traces) addNodes(traceId, nodes);
    },
    state,
    merge,
    add(span: Span) {
      if (!Number.isFinite(span.startNs) || !Number.isFinite(span.endNs)) {
        badTimes++;
        return;
      }
      if (!plausible.times(span)) return;
      const traceId = span.traceId;
      const node = toSpanNode(span);
      if (node.llm?.refused !== undefined) plausible.usage(span, node.llm.refused);
      const inHead = spansAdded++ < headSpans;
      let group = pending.get(traceId);
      if (group === undefined) {
        const earlier = analysed.earlier(traceId);
        const old = earlier === undefined && analysed.probablyOld(traceId);
        // `[node]`, not `[]` and a push: a pushed-to array reserves 17 slots, per pending trace.
        pending.set(traceId, (group = { nodes: [node], firstSeq: ++seq, earlier, old, head: inHead }));
      } else {
        group.nodes.push(node);
        if (traceId !== lastTraceId) {
          pending.delete(traceId);
          pending.set(traceId, group);
        }
      }
      lastTraceId = traceId;
      if (span.events !== undefined) cpu.add(span);
      if (group.head) {
        if (++headHeld > maxPending) releaseHead();
      } else if (++pendingSpans > maxPending) evict();
    },
    flushTrace: (traceId: string) => flush(traceId),
    finish(): Report {
      flushAll();
      crossTrace.release((traceId, nodes) => analyse(traceId, nodes, undefined, false, false, false));
      heldOrphans.finish();
      if (crossTrace.merged > 0) warnings.add(crossTraceMergedWarning(crossTrace.merged));
      if (badTimes > 0) warnings.add(`${badTimes} span(s) without a valid start or end time: left out`);
      for (const line of plausible.lines()) warnings.add(line);
      if (mergedCalls > 0) warnings.add(mergedCallsWarning(mergedCalls));
      if (callsWithoutUsage > 0) warnings.add(callsWithoutUsageWarning(callsWithoutUsage));
      for (const line of analysed.warnings(maxPending)) warnings.add(line);

      const { wallNs, critTotalNs } = totals;
      const llmSection = llm.section(wallNs, critTotalNs);
      const stepRows = steps.rows(wallNs);
      const operationRows = operations.rows(critTotalNs);
      const stepAccs = steps.sorted();
      const chained = conversations.groups();
      if (conversations.skipped > 0)
        warnings.add(`${conversations.skipped} one-call trace(s) past the first ${LONE_CALLS_MAX} were not chained into conversations`);
      const runs = runsWithConversations(steps.runs, steps.succeeded, chained);
      const recommendations = findings.finish({ steps: stepAccs, runs: runs.runs, conversations: chained });
      errors.addConversations(chained);
      const errorRows = errors.rows(top);
      const cpuHotspots = cpu.finish({ top });
      const waterfall = totals.waterfall();
      return {
        schemaVersion: 1,
        source: options.source,
        window: options.window ?? totals.window(),
        traces: analysed.count,
        spans: totals.spans,
        wallMs: ms(wallNs),
        timeDistribution: totals.timeDistribution(llmSection),
        llm: llmSection,
        operations: operationRows.slice(0, top).map(({ reportedElsewhere: _, outsideLlm: __, ...row }) => row),
        steps: stepRows,
        runs: { count: runs.runs, succeeded: runs.succeeded, successRate: share(runs.succeeded, runs.runs) },
        bottlenecks: bottlenecks(llmSection, stepRows, operationRows, top),
        recommendations,
        ...(errorRows !== undefined ? { errors: errorRows } : {}),
        slowestTraces: totals.slowestTraces(options.jaegerUrl),
        ...(waterfall !== undefined ? { waterfall } : {}),
        warnings: warnings.lines(),
        ...(cpuHotspots.length > 0 ? { cpuHotspots } : {}),
      };
    },
  };
}

let catalog: PriceLookup | undefined;
const defaultPrices = (): PriceLookup => (catalog ??= catalogPrices());
