// Public types of the step runner.

/** How one attempt or one step ended. `error` also covers a run cancelled by the caller's signal. */
export type StepOutcome = "ok" | "timeout" | "error";

/** Results of the steps that already finished, in step order and by step name. */
export interface StepResults {
  readonly list: readonly unknown[];
  readonly byName: Readonly<Record<string, unknown>>;
}

export interface StepContext {
  /** Aborted when this attempt times out or the caller's signal aborts; pass it to fetch and SDK calls. */
  signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** The previous steps' results. */
  results: StepResults;
}

export interface Step<T = unknown> {
  name: string;
  run(ctx: StepContext): T | Promise<T>;
  /** Overrides the run's timeoutPerStepMs for this step. */
  timeoutMs?: number;
  /** Overrides the run's maxRetriesPerStep for this step. */
  maxRetries?: number;
}

export interface BackoffOptions {
  /** Delay before the first retry, doubled for each further retry. Default 250 ms. */
  baseMs?: number;
  /** Upper bound of a delay. Default 5 000 ms. */
  maxMs?: number;
  /** Fraction of the delay that is randomised away: the delay is d × (1 − jitter × random()). Default 0.5. */
  jitter?: number;
}

export type ProgressMode = "auto" | "tty" | "plain" | "off";

interface EventBase {
  /** The run's name. */
  run: string;
  /** Milliseconds since the run started. */
  atMs: number;
}

interface StepEventBase extends EventBase {
  step: string;
  /** 0-based position of the step. */
  index: number;
  attempt: number;
}

export type StepProgressEvent =
  | (EventBase & { type: "run-start"; steps: string[] })
  | (StepEventBase & { type: "attempt-start"; timeoutMs: number })
  | (StepEventBase & { type: "timeout"; timeoutMs: number })
  /** The step did not settle after its signal was aborted; the runner stopped waiting for it. */
  | (StepEventBase & { type: "abandoned"; reason: "timeout" | "cancelled" })
  | (StepEventBase & { type: "attempt-end"; outcome: StepOutcome; durationMs: number; error?: string })
  | (StepEventBase & { type: "retry"; delayMs: number })
  | (StepEventBase & { type: "step-end"; outcome: StepOutcome; attempts: number; durationMs: number })
  | (EventBase & { type: "run-end"; ok: boolean; cancelled: boolean; durationMs: number });

export interface RunStepsOptions {
  /** Default 25 000 ms. */
  timeoutPerStepMs?: number;
  /** Retries after the first attempt, for a timeout or an error. Default 1. */
  maxRetriesPerStep?: number;
  backoff?: BackoffOptions;
  onProgress?: (event: StepProgressEvent) => void;
  /** Cancels the whole run: the running attempt is aborted and no further step or retry starts. */
  signal?: AbortSignal;
  /** auto: a live line per step on a terminal (stderr), plain lines otherwise. Default auto. */
  progress?: ProgressMode;
  /** Random source for the jitter, in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface AttemptReport {
  attempt: number;
  durationMs: number;
  outcome: StepOutcome;
  error?: unknown;
  /** The attempt ignored its aborted signal and was left running. */
  abandoned?: boolean;
}

export interface StepReport<T = unknown> {
  name: string;
  index: number;
  ok: boolean;
  outcome: StepOutcome;
  attempts: number;
  durationMs: number;
  attemptsDetail: AttemptReport[];
  result?: T;
  error?: unknown;
}

export interface RunReport {
  name: string;
  ok: boolean;
  /** The caller's signal stopped the run. */
  cancelled: boolean;
  durationMs: number;
  /** The steps that started, in order; steps after a failure or cancellation are not run. */
  steps: StepReport[];
  /** The last successful step's result. */
  result?: unknown;
}
