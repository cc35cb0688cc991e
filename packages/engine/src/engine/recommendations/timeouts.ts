// timeouts: time (and LLM cost) spent in step attempts that timed out or were retried,
// backoff included.

import { countedList, ms, usd } from "../numbers.js";
import type { StepAcc } from "../steps.js";
import { examplesText, type Recommendation } from "./types.js";

export function timeoutRecommendations(steps: readonly StepAcc[]): Recommendation[] {
  return steps
    .filter((s) => s.wastedNs > 0)
    .map((s) => ({
      kind: "timeouts" as const,
      target: `step ${s.position}: ${s.name}`,
      estimatedSavingMs: ms(s.wastedNs),
      estimatedSavingUsd: usd(s.wastedUsd),
      evidence: `${s.wastedSteps} of ${s.count} run(s) lost time to ${countedList([
        [s.timeouts, "timeout", "timeouts"],
        [s.retries, "retry", "retries"],
      ])}; tune the timeout or make the step cheaper to retry${examplesText(s.examples)}`,
    }));
}
