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
 * Runs kept at most; past it a uniform sample of them (reservoir sampling), so memory stays bounded
 * (about 600 bytes a run: 20,000 leave a 256 MB heap to the pending window; a sample that size
 * moves a median or a rank test by far less than the differences a comparison reports).
 */
export const DEFAULT_MAX_RUNS = 20_000;

/** Collects one RunRecord per run of every trace the report builder analyses. */
export class RunRecorder implements TraceObserver {
  private readonly runs: RunRecord[] = [];
  private seen = 0;
  // A fixed-seed generator (mulberry32): the same input keeps the same sample.
  private state = 0x9e3779b9;

  constructor(private readonly maxRuns = DEFAULT_MAX_RUNS) {}

  /** The runs (a uniform sample of maxRuns of them when there were more). */
  records(): readonly RunRecord[] {
    return this.runs;
  }

  /** Runs seen, kept or not. */
  get runsSeen(): number {
    return this.seen;
  }

  private keep(run: RunRecord): void {
    this.seen++;
    if (this.runs.length < this.maxRuns) {
      this.runs.push(run);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.maxRuns) this.runs[slot] = run;
  }

  private random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
        addSpan(partOf(run.tools, node.label, () => ({ ...emptyPart(), name: node.label }), (map) => (run.tools = map)), durationNs, node.error);
      }
    }

    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm) continue;
      const run = runOf(i);
      if (run === undefined) continue;
      const call = node.llm!;
      const cost = llm.costOf(node);
      const model = partOf(run.models, intern(modelKey(call.provider, call.model)), () => ({ ...emptyPart(), provider: call.provider, model: call.model }), (map) => (run.models = map));
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
