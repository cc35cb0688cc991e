export { runSteps } from "./run-steps.js";
export { backoffDelayMs } from "./backoff.js";
export type {
  AttemptReport,
  BackoffOptions,
  ProgressMode,
  RunReport,
  RunStepsOptions,
  Step,
  StepContext,
  StepOutcome,
  StepProgressEvent,
  StepReport,
  StepResults,
} from "./types.js";
