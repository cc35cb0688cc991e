// How a comparison or slow-vs-fast row names a step, as the recommendations do ("step 2: plan").
import type { RunStepPart } from "@jotty/engine/engine";

export function stepTarget(step: Pick<RunStepPart, "workflow" | "name" | "position">): string {
  return `${step.workflow ? `${step.workflow} ` : ""}step ${step.position}: ${step.name}`;
}
