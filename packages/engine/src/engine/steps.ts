// Steps by position (jotty.step.*): durations, input tokens of their LLM calls, timeouts,
// retries, failures, the time lost to retried or timed-out attempts, and run success.

import type { Report } from "../report.js";
import { EXAMPLE_TRACES } from "./constants.js";
import { Keyed } from "./keyed.js";
import type { LlmRollup } from "./llm-rollup.js";
import { addUsd, cmp, ms, percentile, share, tenth, usdSum, type UsdSum } from "./numbers.js";
import { addSample, samples, sortedSamples, type Samples } from "./samples.js";
import { addExample, type Example } from "./recommendations/types.js";
import { isStep } from "./framework-steps.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";
import { mergeValue } from "./merge-state.js";

export interface StepAcc {
  /** gen_ai.workflow.name of the run the step belongs to; "" outside a workflow. */
  workflow: string;
  name: string;
  position: number;
  count: number;
  totalNs: number;
  durations: Samples;
  /** LLM calls under the step that reported input tokens; llmInputTokens and llmNs are theirs. */
  llmCalls: number;
  llmInputTokens: number;
  llmNs: number;
  /** Sum over the step's LLM calls of the USD price of one uncached input token (0 when unknown). */
  llmInputUsdPerToken: number;
  timeouts: number;
  retries: number;
  failures: number;
  /** Time in attempts that timed out or were retried, with the backoff between them. */
  wastedNs: number;
  wastedUsd: UsdSum;
  wastedSteps: number;
  /** The part of wastedNs in attempts that timed out, and in attempts that failed with an error (backoff included). */
  timeoutWastedNs: number;
  errorWastedNs: number;
  /** error.type of the failed attempts that were retried, with their counts. */
  retryErrors: Map<string, number>;
  /** Steps that lost time (timeouts, retries). */
  examples: Example[];
  /** Any runs of the step. */
  seen: Example[];
}

export class StepStats {
  readonly steps = new Keyed<StepAcc>();
  runs = 0;
  succeeded = 0;

  constructor(
    private readonly llm: LlmRollup,
    private readonly inputRate: (provider: string, model: string) => number,
  ) {}

  /** `laterPart`: a later part of a trace analysed in parts, whose run was counted with its first part. */
  addTrace(f: TraceFacts, laterPart = false): void {
    const { nodes, childStart, childIdx, roots } = f.trace;
    const stepAccOf = new Map<number, StepAcc>();
    const wastedUntil = new Map<number, number>();
    const failedWorkflows = new Set<number>();
    let workflows = 0;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role === Role.Workflow) workflows++;
      if (!isStep(node)) continue;
      const step = node.step!;
      const w = f.workflowOf[i]!;
      const workflow = w >= 0 ? nodes[w]!.workflow! : "";
      const key = step.index + "\u0000" + step.name;
      let acc = this.steps.get(workflow, key);
      if (acc === undefined) {
        acc = {
          workflow,
          name: step.name,
          position: step.index,
          count: 0,
          totalNs: 0,
          durations: samples(),
          llmCalls: 0,
          llmInputTokens: 0,
          llmNs: 0,
          llmInputUsdPerToken: 0,
          timeouts: 0,
          retries: 0,
          failures: 0,
          wastedNs: 0,
          wastedUsd: usdSum(),
          wastedSteps: 0,
          timeoutWastedNs: 0,
          errorWastedNs: 0,
          retryErrors: new Map(),
          examples: [],
          seen: [],
        };
        this.steps.set(workflow, key, acc);
      }
      stepAccOf.set(i, acc);
      const duration = node.end - node.start;
      acc.count++;
      acc.totalNs += duration;
      addSample(acc.durations, duration);
      addExample(acc.seen, f.traceId, node.spanId, EXAMPLE_TRACES);

      let attemptSpans = 0;
      let attemptTimeouts = 0;
      for (let c = childStart[i]!; c < childStart[i + 1]!; c++) {
        const a = childIdx[c]!;
        if (nodes[a]!.role !== Role.Attempt) continue;
        attemptSpans++;
        if (nodes[a]!.step!.outcome === "timeout") attemptTimeouts++;
      }
      const timedOut = step.outcome === "timeout";
      acc.timeouts += attemptSpans > 0 ? attemptTimeouts : Math.max(step.timeoutEvents, timedOut ? 1 : 0);
      acc.retries += Math.max(step.attempts, attemptSpans, 1) - 1;
      const failed = step.outcome !== "ok" || node.error;
      if (failed) {
        acc.failures++;
        if (f.workflowOf[i]! >= 0) failedWorkflows.add(f.workflowOf[i]!);
      }
      const until = wastedEnd(f, i);
      wastedUntil.set(i, until);
      const wasted = Math.min(duration, Math.max(0, until - node.start));
      if (wasted > 0) {
        acc.wastedNs += wasted;
        acc.wastedSteps++;
        addExample(acc.examples, f.traceId, node.spanId, EXAMPLE_TRACES);
        splitWaste(f, i, wasted, acc);
      }
    }

    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm) continue;
      const s = f.stepOf[i]!;
      const acc = s >= 0 ? stepAccOf.get(s) : undefined;
      if (acc === undefined) continue;
      const llm = node.llm!;
      // Calls that reported no input tokens (a 429, a call cut short) would drag the means down.
      if (llm.inputTokens > 0) {
        acc.llmCalls++;
        acc.llmInputTokens += llm.inputTokens;
        acc.llmNs += node.end - node.start;
        acc.llmInputUsdPerToken += this.inputRate(llm.provider, llm.pricedModel);
      }
      const until = wastedUntil.get(s)!;
      if (until > nodes[s]!.start && node.end <= until) addUsd(acc.wastedUsd, this.llm.costOf(node));
    }

    if (workflows > 0) {
      for (let i = 0; i < nodes.length; i++) {
        if (nodes[i]!.role !== Role.Workflow) continue;
        this.runs++;
        if (!nodes[i]!.error && !failedWorkflows.has(i)) this.succeeded++;
      }
    } else if (!laterPart) {
      this.runs++;
      if (!roots.some((r) => nodes[r]!.error)) this.succeeded++;
    }
  }

  state() {
    return { steps: this.steps, runs: this.runs, succeeded: this.succeeded };
  }

  merge(s: ReturnType<StepStats["state"]>): void {
    mergeValue(this.steps, s.steps, { max: ["position"] });
    this.runs += s.runs;
    this.succeeded += s.succeeded;
  }

  rows(wallNs: number): Report["steps"] {
    return this.sorted().map((s) => {
      const sorted = sortedSamples(s.durations);
      return {
        workflow: s.workflow,
        name: s.name,
        position: s.position,
        count: s.count,
        meanMs: ms(s.totalNs / s.count),
        p95Ms: ms(percentile(sorted, 95)),
        share: share(s.totalNs, wallNs),
        meanInputTokens: s.llmCalls > 0 ? tenth(s.llmInputTokens / s.llmCalls) : 0,
        timeouts: s.timeouts,
        retries: s.retries,
        failures: s.failures,
      };
    });
  }

  /** By workflow, then position, then name. */
  sorted(): StepAcc[] {
    return [...this.steps.values()].sort((a, b) => cmp(a.workflow, b.workflow) || a.position - b.position || cmp(a.name, b.name));
  }
}

/**
 * Splits a step's wasted time by cause: each failed attempt from its start to the next one's
 * (its backoff included) is a timeout's or an error's; without attempt spans, the step's timeout
 * events or outcome decide.
 */
function splitWaste(f: TraceFacts, s: number, wasted: number, acc: StepAcc): void {
  const { nodes, childStart, childIdx } = f.trace;
  const attempts: number[] = [];
  for (let c = childStart[s]!; c < childStart[s + 1]!; c++) if (nodes[childIdx[c]!]!.role === Role.Attempt) attempts.push(childIdx[c]!);
  const step = nodes[s]!.step!;
  if (attempts.length === 0) {
    if (step.timeoutEvents > 0 || step.outcome === "timeout") acc.timeoutWastedNs += wasted;
    else {
      acc.errorWastedNs += wasted;
      const type = step.errorType || "error";
      acc.retryErrors.set(type, (acc.retryErrors.get(type) ?? 0) + Math.max(1, step.attempts - 1));
    }
    return;
  }
  attempts.sort((a, b) => nodes[a]!.start - nodes[b]!.start);
  let timeoutNs = 0;
  let errorNs = 0;
  for (let k = 0; k < attempts.length; k++) {
    const a = nodes[attempts[k]!]!;
    const last = k === attempts.length - 1;
    if (a.step!.outcome === "ok" || (last && a.step!.outcome !== "timeout")) continue;
    const until = last ? a.end : nodes[attempts[k + 1]!]!.start;
    const lost = Math.max(0, until - a.start);
    if (a.step!.outcome === "timeout") timeoutNs += lost;
    else {
      errorNs += lost;
      const type = a.step!.errorType || "error";
      acc.retryErrors.set(type, (acc.retryErrors.get(type) ?? 0) + 1);
    }
  }
  const total = timeoutNs + errorNs;
  if (total <= 0) return;
  acc.timeoutWastedNs += (wasted * timeoutNs) / total;
  acc.errorWastedNs += (wasted * errorNs) / total;
}

/** End of the wasted part of a step (its start when nothing was wasted). */
function wastedEnd(f: TraceFacts, s: number): number {
  const { nodes, childStart, childIdx } = f.trace;
  const node = nodes[s]!;
  const step = node.step!;
  let lastAttempt = -1;
  let attempts = 0;
  for (let c = childStart[s]!; c < childStart[s + 1]!; c++) {
    const a = childIdx[c]!;
    if (nodes[a]!.role !== Role.Attempt) continue;
    attempts++;
    if (lastAttempt < 0 || nodes[a]!.start >= nodes[lastAttempt]!.start) lastAttempt = a;
  }
  if (lastAttempt >= 0) {
    const last = nodes[lastAttempt]!;
    if (last.step!.outcome === "timeout") return last.end;
    return attempts > 1 ? last.start : node.start;
  }
  return step.outcome === "timeout" ? node.end : node.start + step.retriedNs;
}
