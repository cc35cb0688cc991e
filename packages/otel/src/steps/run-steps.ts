import { context } from "@opentelemetry/api";
import { getTracer } from "../segments/tracer.js";
import { runAttempt, type AttemptResult } from "./attempt.js";
import { backoffDelayMs, delay } from "./backoff.js";
import { createProgressReporter } from "./progress.js";
import type { StepEventDetail } from "./step-events.js";
import { describeError, StepSpans } from "./step-spans.js";
import type { AttemptReport, RunReport, RunStepsOptions, Step, StepProgressEvent, StepReport } from "./types.js";

const DEFAULT_TIMEOUT_MS = 25_000;
const DEFAULT_MAX_RETRIES = 1;

interface RunState {
  name: string;
  options: RunStepsOptions;
  spans: StepSpans;
  /** Tells every listener: the spans, the progress line, the app's onProgress. */
  emit(event: StepProgressEvent, detail?: StepEventDetail): void;
  at(): number;
  results: { list: unknown[]; byName: Record<string, unknown> };
}

/**
 * Runs steps in order, each with a timeout, retries with backoff and progress, under an
 * `invoke_workflow {name}` span. Stops at the first step that fails all its attempts.
 */
export async function runSteps(name: string, steps: readonly Step[], options: RunStepsOptions = {}): Promise<RunReport> {
  validate(name, steps, options);
  const reporter = createProgressReporter(options.progress ?? "auto");
  const spans = new StepSpans(getTracer(), context.active());
  const startedAt = performance.now();
  const state: RunState = {
    name,
    options,
    spans,
    at: () => performance.now() - startedAt,
    emit(event, detail) {
      spans.handle(event, detail);
      reporter.handle(event);
      try {
        options.onProgress?.(event);
      } catch {
        // a faulty progress callback must not break the run
      }
    },
    results: { list: [], byName: {} },
  };

  const reports: StepReport[] = [];
  let cancelled = false;
  let ok = false;
  let durationMs = 0;
  try {
    state.emit({ type: "run-start", run: name, atMs: 0, steps: steps.map((s) => s.name) });
    for (const [index, step] of steps.entries()) {
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
      const { report, cancelled: stepCancelled } = await runStep(state, step, index);
      reports.push(report);
      if (stepCancelled) cancelled = true;
      if (!report.ok) break;
      state.results.list.push(report.result);
      state.results.byName[step.name] = report.result;
    }
  } finally {
    ok = !cancelled && reports.length === steps.length && reports.every((r) => r.ok);
    durationMs = performance.now() - startedAt;
    state.emit({ type: "run-end", run: name, atMs: durationMs, ok, cancelled, durationMs });
    reporter.close();
  }
  return {
    name,
    ok,
    cancelled,
    durationMs,
    steps: reports,
    ...(ok && reports.length > 0 ? { result: reports[reports.length - 1]?.result } : {}),
  };
}

async function runStep(state: RunState, step: Step, index: number): Promise<{ report: StepReport; cancelled: boolean }> {
  const { options, name: run } = state;
  const timeoutMs = step.timeoutMs ?? options.timeoutPerStepMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = step.maxRetries ?? options.maxRetriesPerStep ?? DEFAULT_MAX_RETRIES;
  const started = performance.now();
  const attempts: AttemptReport[] = [];
  let last: AttemptResult<unknown> | undefined;
  let cancelled = false;

  for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
    const base = { run, step: step.name, index, attempt };
    state.emit({ type: "attempt-start", ...base, atMs: state.at(), timeoutMs });
    const attemptContext = state.spans.attemptContext;
    const results = { list: [...state.results.list], byName: { ...state.results.byName } };
    last = await runAttempt(step.name, (signal) => context.with(attemptContext, () => step.run({ signal, attempt, results })), timeoutMs, options.signal, {
      onTimeout: () => state.emit({ type: "timeout", ...base, atMs: state.at(), timeoutMs }),
      onAbandoned: (reason) => state.emit({ type: "abandoned", ...base, atMs: state.at(), reason }),
    });
    attempts.push({
      attempt,
      durationMs: last.durationMs,
      outcome: last.outcome,
      ...(last.outcome === "ok" ? {} : { error: last.error }),
      ...(last.abandoned ? { abandoned: true } : {}),
    });
    state.emit(
      {
        type: "attempt-end",
        ...base,
        atMs: state.at(),
        outcome: last.outcome,
        durationMs: last.durationMs,
        ...(last.outcome === "ok" ? {} : { error: describeError(last.error) }),
      },
      { error: last.error, cancelled: last.cancelled },
    );
    if (last.outcome === "ok") break;
    if (last.cancelled) {
      cancelled = true;
      break;
    }
    if (attempt > maxRetries) break;
    const delayMs = backoffDelayMs(attempt, options.backoff, options.random);
    state.emit({ type: "retry", ...base, atMs: state.at(), delayMs });
    try {
      await delay(delayMs, options.signal);
    } catch {
      cancelled = true;
      break;
    }
  }

  const final = last as AttemptResult<unknown>;
  const durationMs = performance.now() - started;
  state.emit(
    {
      type: "step-end",
      run,
      step: step.name,
      index,
      attempt: attempts.length,
      atMs: state.at(),
      outcome: final.outcome,
      attempts: attempts.length,
      durationMs,
    },
    { error: final.error, cancelled },
  );
  const report: StepReport = {
    name: step.name,
    index,
    ok: final.outcome === "ok",
    outcome: final.outcome,
    attempts: attempts.length,
    durationMs,
    attemptsDetail: attempts,
    ...(final.outcome === "ok" ? { result: final.result } : { error: final.error }),
  };
  return { report, cancelled };
}

function validate(name: string, steps: readonly Step[], options: RunStepsOptions): void {
  const problem = (message: string) => new TypeError(`runSteps("${name}"): ${message}`);
  if (!Array.isArray(steps)) throw problem("steps must be an array of { name, run }");
  steps.forEach((step, i) => {
    if (typeof step?.name !== "string" || step.name === "") throw problem(`step ${i} needs a non-empty name`);
    if (typeof step.run !== "function") throw problem(`step "${step.name}" needs a run(ctx) function`);
    if (step.timeoutMs !== undefined && !(step.timeoutMs > 0)) throw problem(`step "${step.name}": timeoutMs must be > 0, got ${step.timeoutMs}`);
    if (step.maxRetries !== undefined && !(Number.isInteger(step.maxRetries) && step.maxRetries >= 0)) {
      throw problem(`step "${step.name}": maxRetries must be an integer >= 0, got ${step.maxRetries}`);
    }
  });
  const { timeoutPerStepMs, maxRetriesPerStep } = options;
  if (timeoutPerStepMs !== undefined && !(timeoutPerStepMs > 0)) throw problem(`timeoutPerStepMs must be > 0, got ${timeoutPerStepMs}`);
  if (maxRetriesPerStep !== undefined && !(Number.isInteger(maxRetriesPerStep) && maxRetriesPerStep >= 0)) {
    throw problem(`maxRetriesPerStep must be an integer >= 0, got ${maxRetriesPerStep}`);
  }
}
