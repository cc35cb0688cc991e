// compress-context: within a workflow, the mean input tokens of the LLM calls in each step grow
// from step to step (each step at least as large as the one before, the last
// CONTEXT_GROWTH_FACTOR × the first).
// Saving: the later steps' LLM calls as fast as the first step's, and their extra input
// tokens priced at each call's input rate.

import { CONTEXT_GROWTH_FACTOR } from "../constants.js";
import { ms, usd } from "../numbers.js";
import type { StepAcc } from "../steps.js";
import { EXAMPLE_TRACES } from "../constants.js";
import { addExample, type Advisor, type Draft, type Example, type FinishContext } from "./types.js";

export const compressContextAdvisor = (): Advisor => ({ findings: (done: FinishContext) => compressContext(done.steps) });

/** `steps` sorted by workflow, then position. */
export function compressContext(steps: readonly StepAcc[]): Draft[] {
  const byWorkflow = new Map<string, StepAcc[]>();
  for (const s of steps) {
    if (s.llmCalls === 0) continue;
    const list = byWorkflow.get(s.workflow) ?? [];
    list.push(s);
    byWorkflow.set(s.workflow, list);
  }
  return [...byWorkflow.values()].flatMap(growth);
}

function growth(withLlm: readonly StepAcc[]): Draft[] {
  if (withLlm.length < 2) return [];
  const mean = (s: StepAcc) => s.llmInputTokens / s.llmCalls;
  for (let k = 1; k < withLlm.length; k++) if (mean(withLlm[k]!) < mean(withLlm[k - 1]!)) return [];
  const first = withLlm[0]!;
  const last = withLlm[withLlm.length - 1]!;
  if (mean(first) <= 0 || mean(last) < CONTEXT_GROWTH_FACTOR * mean(first)) return [];
  const firstCallNs = first.llmNs / first.llmCalls;
  let savingNs = 0;
  let savingUsd = 0;
  for (const s of withLlm.slice(1)) {
    savingNs += Math.max(0, s.llmNs - s.llmCalls * firstCallNs);
    savingUsd += (mean(s) - mean(first)) * s.llmInputUsdPerToken;
  }
  const tokens = withLlm.map((s) => `${s.name} ${Math.round(mean(s))}`).join(" → ");
  const names = withLlm.map((s) => s.name).join(", ");
  const examples: Example[] = [];
  for (const e of last.seen) addExample(examples, e.traceId, e.spanId, EXAMPLE_TRACES);
  return [
    {
      kind: "compress-context",
      target: first.workflow ? `steps of "${first.workflow}": ${names}` : `steps ${names}`,
      estimatedSavingMs: ms(savingNs),
      estimatedSavingUsd: usd(savingUsd),
      evidence: `mean input tokens per LLM call grow from step to step (${tokens}, ${(mean(last) / mean(first)).toFixed(1)}×) over ${withLlm.reduce((n, s) => n + s.llmCalls, 0)} call(s); summarise or trim the context carried forward`,
      cause: `each step carries the earlier steps' whole context forward: ${(mean(last) / mean(first)).toFixed(1)}× the first step's input by the last`,
      fix: "carry a summary of the earlier steps (or only the results the next step needs) instead of their whole transcripts",
      examples,
    },
  ];
}
