// compress-context: the mean input tokens of the LLM calls in each step grow from step to step
// (each step at least as large as the one before, the last CONTEXT_GROWTH_FACTOR × the first).
// Saving: the later steps' LLM calls as fast as the first step's, and their extra input
// tokens priced at each call's input rate.

import { CONTEXT_GROWTH_FACTOR } from "../constants.js";
import { ms, usd } from "../numbers.js";
import type { StepAcc } from "../steps.js";
import type { Recommendation } from "./types.js";

export function compressContext(steps: readonly StepAcc[]): Recommendation[] {
  const withLlm = steps.filter((s) => s.llmCalls > 0);
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
  const growth = withLlm.map((s) => `${s.name} ${Math.round(mean(s))}`).join(" → ");
  return [
    {
      kind: "compress-context",
      target: `steps ${withLlm.map((s) => s.name).join(", ")}`,
      estimatedSavingMs: ms(savingNs),
      estimatedSavingUsd: usd(savingUsd),
      evidence: `mean input tokens per LLM call grow from step to step (${growth}, ${(mean(last) / mean(first)).toFixed(1)}×) over ${withLlm.reduce((n, s) => n + s.llmCalls, 0)} call(s); summarise or trim the context carried forward`,
    },
  ];
}
