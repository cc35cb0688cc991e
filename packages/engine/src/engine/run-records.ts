// Per-run records: what one run (an invoke_workflow span, or a whole trace without one) spent
// in each step, model and tool, with its tokens, cost, errors and retries. The report keeps
// only aggregates; comparisons between windows and the slow-vs-fast breakdown need the runs.
// Fed by the report builder (ReportOptions.traceObserver), one trace at a time.

import { isStep } from "./framework-steps.js";
import type { LlmRollup } from "./llm-rollup.js";
import { intern } from "./intern.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

/** What a run spent in one step, model or tool. */
export interface RunPart {
  /** Summed duration of the part's spans in the run. */
  ms: number;
  /** Spans of the part (step spans, LLM calls, tool calls). */
  count: number;
  /** Duration of each span, in ms. */
  durationsMs: number[];
  /** LLM calls in the part (for a model: its calls) and their tokens and cost. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errors: number;
  retries: number;
}

export interface RunStepPart extends RunPart {
  workflow: string;
  name: string;
  position: number;
}

export interface RunModelPart extends RunPart {
  provider: string;
  model: string;
}

export interface RunToolPart extends RunPart {
  name: string;
}

export interface RunRecord {
  traceId: string;
  /** gen_ai.workflow.name of the run; "" for a trace without an invoke_workflow span. */
  workflow: string;
  startMs: number;
  wallMs: number;
  /** As report.runs counts it: no error status and no failed step. */
  succeeded: boolean;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Spans with an error status. */
  errors: number;
  retries: number;
  timeouts: number;
  /** Keyed by stepKey / modelKey / tool name. */
  steps: Map<string, RunStepPart>;
  models: Map<string, RunModelPart>;
  tools: Map<string, RunToolPart>;
}

export interface TraceObserver {
  addTrace(facts: TraceFacts, llm: LlmRollup): void;
}

export const stepKey = (workflow: string, position: number, name: string): string => `${workflow}\u0000${position}\u0000${name}`;
export const modelKey = (provider: string, model: string): string => `${provider}\u0000${model}`;

const emptyPart = (): RunPart => ({ ms: 0, count: 0, durationsMs: [], calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, errors: 0, retries: 0 });

/** The parts of a run that has none yet: shared, so that 100,000 kept runs hold no empty maps. */
const NO_PARTS = new Map<string, never>();

/** The part under `key`, made on first use; `own` gives the run its own map in place of NO_PARTS. */
function partOf<T extends RunPart>(map: Map<string, T>, key: string, make: () => T, own: (map: Map<string, T>) => void): T {
  if (map === NO_PARTS) own((map = new Map()));
  let part = map.get(key);
  if (part === undefined) map.set(key, (part = make()));
  return part;
}

/**
 * Runs kept at most; past it a sample of them (see rankOf), so memory stays bounded (about 600
 * bytes a run: 20,000 leave a 256 MB heap to the pending window; a sample that size moves a
 * median or a rank test by far less than the differences a comparison reports).
 */
export const DEFAULT_MAX_RUNS = 20_000;

/**
 * A run's place in the sample: a hash of what identifies it. The sample keeps the maxRuns runs of
 * lowest rank (a bottom-k sample), which is uniform for random trace ids and, unlike reservoir
 * sampling, the same whatever order the traces arrive in (a file and Jaeger's pages differ).
 */
function rankOf(run: RunRecord): number {
  const key = `${run.traceId}\u0000${run.workflow}\u0000${run.startMs}`;
  let hash = 0x811c9dc5; // FNV-1a, then a murmur finalizer to spread ids that share a prefix
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

interface Ranked {
  rank: number;
  key: string;
  run: RunRecord;
}

/** Whether a comes after b in the sample's order (rank, then identity for equal hashes). */
function after(a: Ranked, b: Ranked): boolean {
  return a.rank > b.rank || (a.rank === b.rank && a.key > b.key);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Collects one RunRecord per run of every trace the report builder analyses. */
export class RunRecorder implements TraceObserver {
  // Past maxRuns: a max-heap on rank, so the highest-ranked kept run is replaced first.
  private readonly heap: Ranked[] = [];
  private seen = 0;
  private sorted: readonly RunRecord[] | undefined;

  constructor(private readonly maxRuns = DEFAULT_MAX_RUNS) {}

  /**
   * The runs (a uniform sample of maxRuns of them when there were more) by start time, then
   * trace id: the same order for the same runs, so sums over them do not depend on arrival order.
   */
  records(): readonly RunRecord[] {
    this.sorted ??= this.heap
      .map((r) => r.run)
      .sort((a, b) => a.startMs - b.startMs || compareText(a.traceId, b.traceId) || compareText(a.workflow, b.workflow));
    return this.sorted;
  }

  /** Runs seen, kept or not. */
  get runsSeen(): number {
    return this.seen;
  }

  private keep(run: RunRecord): void {
    this.seen++;
    this.sorted = undefined;
    const item: Ranked = { rank: rankOf(run), key: `${run.traceId}\u0000${run.workflow}\u0000${run.startMs}`, run };
    const heap = this.heap;
    if (heap.length < this.maxRuns) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!after(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
      return;
    }
    if (heap.length === 0 || !after(heap[0]!, item)) return;
    heap[0] = item;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < heap.length && after(heap[left]!, heap[top]!)) top = left;
      if (right < heap.length && after(heap[right]!, heap[top]!)) top = right;
      if (top === i) break;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  }

  addTrace(f: TraceFacts, llm: LlmRollup): void {
    const { nodes, childStart, childIdx } = f.trace;
    const byWorkflow = new Map<number, RunRecord>();
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Workflow || f.workflowOf[i] !== i) continue;
      byWorkflow.set(i, newRun(f.traceId, node.workflow ?? node.name, node.start, node.end - node.start, !node.error));
    }
    const wholeTrace = byWorkflow.size === 0 ? newRun(f.traceId, "", f.startNs, f.wallNs, !f.trace.roots.some((r) => nodes[r]!.error)) : undefined;
    const runOf = (i: number): RunRecord | undefined => wholeTrace ?? byWorkflow.get(f.workflowOf[i]!);
    const stepParts = new Map<number, RunStepPart>();

    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const run = runOf(i);
      if (run === undefined) continue;
      if (node.error) run.errors++;
      const durationNs = node.end - node.start;
      if (isStep(node)) {
        const step = node.step!;
        const part = partOf(
          run.steps,
          stepKey(run.workflow, step.index, step.name),
          () => ({ ...emptyPart(), workflow: run.workflow, name: step.name, position: step.index }),
          (map) => (run.steps = map),
        );
        stepParts.set(i, part);
        let attemptSpans = 0;
        for (let c = childStart[i]!; c < childStart[i + 1]!; c++) if (nodes[childIdx[c]!]!.role === Role.Attempt) attemptSpans++;
        const retries = Math.max(step.attempts, attemptSpans, 1) - 1;
        addSpan(part, durationNs, node.error || step.outcome !== "ok");
        part.retries += retries;
        run.retries += retries;
        if (step.outcome === "timeout") run.timeouts++;
        if ((step.outcome !== "ok" || node.error) && byWorkflow.size > 0) run.succeeded = false;
      }
      if (node.role === Role.Tool && f.inLlm[i] === 0) {
        addSpan(
          partOf(
            run.tools,
            node.label,
            () => ({ ...emptyPart(), name: node.label }),
            (map) => (run.tools = map),
          ),
          durationNs,
          node.error,
        );
      }
    }

    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm) continue;
      const run = runOf(i);
      if (run === undefined) continue;
      const call = node.llm!;
      const cost = llm.costOf(node);
      const model = partOf(
        run.models,
        intern(modelKey(call.provider, call.model)),
        () => ({ ...emptyPart(), provider: call.provider, model: call.model }),
        (map) => (run.models = map),
      );
      addSpan(model, node.end - node.start, node.error);
      const step = f.stepOf[i]! >= 0 ? stepParts.get(f.stepOf[i]!) : undefined;
      for (const part of step === undefined ? [model, run] : [model, step, run]) {
        part.calls++;
        part.inputTokens += call.inputTokens;
        part.outputTokens += call.outputTokens;
        part.costUsd += cost;
      }
    }
    for (const run of wholeTrace !== undefined ? [wholeTrace] : byWorkflow.values()) this.keep(run);
  }
}

function newRun(traceId: string, workflow: string, startNs: number, wallNs: number, succeeded: boolean): RunRecord {
  return {
    traceId,
    workflow,
    startMs: startNs / 1e6,
    wallMs: wallNs / 1e6,
    succeeded,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    errors: 0,
    retries: 0,
    timeouts: 0,
    steps: NO_PARTS,
    models: NO_PARTS,
    tools: NO_PARTS,
  };
}

function addSpan(part: RunPart, durationNs: number, error: boolean): void {
  part.ms += durationNs / 1e6;
  part.count++;
  // The first duration as a one-slot array: a push onto [] reserves 17, in each of 100,000 kept runs.
  if (part.durationsMs.length === 0) part.durationsMs = [durationNs / 1e6];
  else part.durationsMs.push(durationNs / 1e6);
  if (error) part.errors++;
}
