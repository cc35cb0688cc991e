// parallelize: sibling steps, LLM calls or tool calls under one parent that ran one after
// another. If they ran concurrently the parent would wait for the longest one only, so the
// saving is the union of their intervals minus the longest, bounded by the critical-path time
// they actually hold.
//
// Work that needs the previous result cannot run side by side, so siblings are kept in order
// (chained) when the evidence says the later one depends on the earlier one:
// - steps of one invoke_workflow span: the step runner hands every step the earlier results;
// - the later one's input tokens (its largest LLM input) are at least the earlier one's input
//   plus CONTEXT_CARRIED_OUTPUT_FRACTION of its output: the context was carried forward.
// Chains are the units that could run concurrently: the saving is the union minus the longest
// chain, and with a single chain there is nothing to advise. Parents that are LLM calls or lie
// below one (the HTTP request of an llm_call) are part of that call and never considered.

import { CONTEXT_CARRIED_OUTPUT_FRACTION, EXAMPLE_TRACES } from "../constants.js";
import { ms } from "../numbers.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { mergeValue } from "../merge-state.js";
import { addExample, examplesText, type Advisor, type Draft, type Example } from "./types.js";

interface Group {
  target: string;
  noun: string;
  parents: number;
  children: number;
  chained: number;
  savingNs: number;
  traces: Example[];
}

const NOUN: Partial<Record<Role, string>> = { [Role.Step]: "steps", [Role.Llm]: "LLM calls", [Role.Tool]: "tool calls" };

/** Largest input and summed output tokens of the LLM calls at or below each span. */
interface Tokens {
  input: Float64Array;
  output: Float64Array;
}

export class ParallelizeAdvisor implements Advisor {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly toleranceNs: number) {}

  addTrace(f: TraceFacts): void {
    const { nodes, childStart } = f.trace;
    let tokens: Tokens | undefined;
    for (let i = 0; i < nodes.length; i++) {
      if (childStart[i + 1]! - childStart[i]! < 2 || f.inLlm[i]) continue;
      tokens ??= tokensOf(f);
      this.consider(f, tokens, i, Role.Step);
      this.consider(f, tokens, i, Role.Llm);
      this.consider(f, tokens, i, Role.Tool);
    }
  }

  private consider(f: TraceFacts, tokens: Tokens, parent: number, role: Role): void {
    const { nodes, childStart, childIdx } = f.trace;
    const stepsOfWorkflow = role === Role.Step && nodes[parent]!.role === Role.Workflow;
    let count = 0;
    let runs = 0; // children that start after everything before them ended (within the clock tolerance) and do not depend on the one before
    let chained = 0;
    let unionNs = 0;
    let longestChainNs = 0;
    let critNs = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    let chainNs = 0;
    let chainEnd = -Infinity;
    let prev = -1;
    // Children are sorted by start, so their union (and each chain's) is one pass.
    for (let c = childStart[parent]!; c < childStart[parent + 1]!; c++) {
      const k = childIdx[c]!;
      const child = nodes[k]!;
      // A failed call (a 429, a timeout) is usually retried: not work to run side by side.
      if (child.role !== role || (role === Role.Llm && child.error)) continue;
      count++;
      critNs += f.subtreeCritNs[k]!;
      const dependent = prev >= 0 && (stepsOfWorkflow || carriesForward(tokens, prev, k));
      if (dependent) {
        chained++;
        chainNs += Math.max(0, child.end - Math.max(child.start, chainEnd));
        chainEnd = Math.max(chainEnd, child.end);
      } else {
        chainNs = child.end - child.start;
        chainEnd = child.end;
      }
      longestChainNs = Math.max(longestChainNs, chainNs);
      if (child.start >= runEnd - this.toleranceNs && !dependent) runs++;
      if (child.start > runEnd) {
        if (runEnd > runStart) unionNs += runEnd - runStart;
        runStart = child.start;
        runEnd = child.end;
      } else if (child.end > runEnd) runEnd = child.end;
      prev = k;
    }
    if (runs < 2) return;
    if (runEnd > runStart) unionNs += runEnd - runStart;
    const savingNs = Math.min(unionNs - longestChainNs, critNs);
    if (!(savingNs > 0)) return;
    const noun = NOUN[role]!;
    // Calls inside a step attempt ("attempt 1") are named after the step.
    const grand = f.trace.parent[parent]!;
    const owner = nodes[parent]!.role === Role.Attempt && grand >= 0 ? nodes[grand]! : nodes[parent]!;
    const target = `${noun} under "${owner.name}"`;
    let g = this.groups.get(target);
    if (g === undefined) this.groups.set(target, (g = { target, noun, parents: 0, children: 0, chained: 0, savingNs: 0, traces: [] }));
    g.parents++;
    g.children += count;
    g.chained += chained;
    g.savingNs += savingNs;
    addExample(g.traces, f.traceId, owner.spanId, EXAMPLE_TRACES);
  }

  state(): unknown {
    return this.groups;
  }

  merge(state: unknown): void {
    mergeValue(this.groups, state, {}, "");
  }

  findings(): Draft[] {
    return [...this.groups.values()].map((g) => ({
      kind: "parallelize" as const,
      target: g.target,
      estimatedSavingMs: ms(g.savingNs),
      estimatedSavingUsd: 0,
      evidence:
        `${g.children} ${g.noun} in ${g.parents} parent span(s) ran one after another` +
        (g.chained > 0 ? `; ${g.chained} took the previous one's output as input (kept after it)` : "") +
        `; if independent, running them concurrently shortens the critical path${examplesText(g.traces)}`,
      cause: `${g.children} ${g.noun} that do not take each other's output ran one after another`,
      fix: "start the independent ones together (Promise.all) and wait for all of them",
      examples: g.traces,
    }));
  }
}

/** The later sibling's input holds the earlier one's input and most of its output. */
function carriesForward(tokens: Tokens, earlier: number, later: number): boolean {
  const input = tokens.input[earlier]!;
  const output = tokens.output[earlier]!;
  return output > 0 && input > 0 && tokens.input[later]! >= input + CONTEXT_CARRIED_OUTPUT_FRACTION * output;
}

function tokensOf(f: TraceFacts): Tokens {
  const { nodes, parent, order } = f.trace;
  const input = new Float64Array(nodes.length);
  const output = new Float64Array(nodes.length);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const llm = nodes[i]!.llm;
    if (llm !== undefined && !nodes[i]!.error) {
      input[i] = Math.max(input[i]!, llm.inputTokens);
      output[i]! += llm.outputTokens;
    }
    const p = parent[i]!;
    if (p >= 0) {
      input[p] = Math.max(input[p]!, input[i]!);
      output[p]! += output[i]!;
    }
  }
  return { input, output };
}
