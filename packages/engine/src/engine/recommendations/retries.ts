// retries: time (and LLM cost) of step attempts that failed with an error and were retried,
// backoff included, naming the errors; and of LLM calls the client retried after an error
// (call-retries.ts). Timeouts are the `timeouts` finding's, rate limits the `rate-limits` one's.

import { ms, usd, usdOf } from "../numbers.js";
import type { StepAcc } from "../steps.js";
import { stepLabel } from "./timeouts.js";
import { CallRetries } from "./call-retries.js";
import { examplesText, type Advisor, type AdvisorContext, type Draft, type FinishContext } from "./types.js";

export function retriesAdvisor(ctx: AdvisorContext): Advisor {
  const calls = new CallRetries(ctx);
  return {
    addTrace: (f) => calls.addTrace(f),
    state: () => calls.state(),
    merge: (state) => calls.merge(state),
    findings: (done: FinishContext) => {
      calls.addConversations(done.conversations);
      return [...retryRecommendations(done.steps), ...calls.findings()];
    },
  };
}

export function retryRecommendations(steps: readonly StepAcc[]): Draft[] {
  return steps
    .filter((s) => s.errorWastedNs > 0 && s.retryErrors.size > 0)
    .map((s) => {
      const errors = [...s.retryErrors].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const named = errors.map(([type, n]) => `${type} ×${n}`).join(", ");
      const count = errors.reduce((n, [, c]) => n + c, 0);
      return {
        kind: "retries" as const,
        target: `step ${s.position}: ${stepLabel(s)}`,
        estimatedSavingMs: ms(s.errorWastedNs),
        estimatedSavingUsd: usd((usdOf(s.wastedUsd) * s.errorWastedNs) / s.wastedNs),
        evidence: `${count} attempt(s) failed and were retried (${named}); they and the backoff after them took ${ms(s.errorWastedNs)} ms${examplesText(s.examples)}`,
        cause: `the step failed with ${named} and was run again`,
        fix: `fix what raises ${errors[0]![0]} (validate the model's output with a schema or structured outputs, so it is right the first time), or retry only the part that failed`,
        examples: s.examples,
      };
    });
}
