// timeouts: time (and LLM cost) spent in step attempts that timed out, backoff included. Only
// steps where a timeout happened; a retry after an error is a `retries` finding (retries.ts).

import { countedList, ms, usd, usdOf } from "../numbers.js";
import type { StepAcc } from "../steps.js";
import { examplesText, type Advisor, type Draft, type FinishContext } from "./types.js";

export const timeoutsAdvisor = (): Advisor => ({ findings: (done: FinishContext) => timeoutRecommendations(done.steps) });

export function timeoutRecommendations(steps: readonly StepAcc[]): Draft[] {
  return steps
    .filter((s) => s.timeouts > 0 && s.timeoutWastedNs > 0)
    .map((s) => ({
      kind: "timeouts" as const,
      target: `step ${s.position}: ${stepLabel(s)}`,
      estimatedSavingMs: ms(s.timeoutWastedNs),
      estimatedSavingUsd: usd((usdOf(s.wastedUsd) * s.timeoutWastedNs) / s.wastedNs),
      evidence: `${countedList([[s.timeouts, "timeout", "timeouts"]])} in ${s.count} run(s) of the step; the attempts that timed out and the backoff after them took ${ms(s.timeoutWastedNs)} ms${examplesText(s.examples)}`,
      cause: `${countedList([[s.timeouts, "attempt", "attempts"]])} of the step ran past the step's timeout and were cut short, their work lost`,
      fix: "raise the step's timeout above its usual duration (see its p95), or make the step cheaper to retry (smaller prompt, streaming, a faster model)",
      examples: s.examples,
    }));
}

/** The step's name, with its workflow when it has one. */
export const stepLabel = (s: StepAcc): string => (s.workflow !== "" ? `${s.name} ("${s.workflow}")` : s.name);
