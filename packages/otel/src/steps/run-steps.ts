import { context, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_JOTTY_STEP_ATTEMPT,
  ATTR_JOTTY_STEP_ATTEMPTS,
  ATTR_JOTTY_STEP_BACKOFF_MS,
  ATTR_JOTTY_STEP_INDEX,
  ATTR_JOTTY_STEP_NAME,
  ATTR_JOTTY_STEP_OUTCOME,
  ATTR_JOTTY_STEP_TIMEOUT_MS,
  EVENT_JOTTY_STEP_ABANDONED,
  EVENT_JOTTY_STEP_CANCELLED,
  EVENT_JOTTY_STEP_RETRY,
  EVENT_JOTTY_STEP_TIMEOUT,
  OPERATION_INVOKE_WORKFLOW,
} from "@jotty/analyzer/semconv";
import { getTracer } from "../segments/tracer.js";
import { runAttempt, type AttemptResult } from "./attempt.js";
import { backoffDelayMs, delay } from "./backoff.js";
import { createProgressReporter } from "./progress.js";
import type { AttemptReport, RunReport, RunStepsOptions, Step, StepProgressEvent, StepReport } from "./types.js";

const DEFAULT_TIMEOUT_MS = 25_000;
const DEFAULT_MAX_RETRIES = 1;

interface RunState {
  name: string;
  tracer: Tracer;
  options: RunStepsOptions;
  emit(event: StepProgressEvent): void;
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
  const startedAt = performance.now();
  const state: RunState = {
    name,
    tracer: getTracer(),
    options,
    at: () => performance.now() - startedAt,
    emit(event) {
      reporter.handle(event);
      try {
        options.onProgress?.(event);
      } catch {
        // a faulty progress callback must not break the run
      }
    },
    results: { list: [], byName: {} },
  };

  const root = state.tracer.startSpan(
    `${OPERATION_INVOKE_WORKFLOW} ${name}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_WORKFLOW, [ATTR_GEN_AI_WORKFLOW_NAME]: name },
    },
    context.active(),
  );
  const rootContext = trace.setSpan(context.active(), root);
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
      const { report, cancelled: stepCancelled } = await runStep(state, step, index, rootContext);
      reports.push(report);
      if (stepCancelled) cancelled = true;
      if (!report.ok) break;
      state.results.list.push(report.result);
      state.results.byName[step.name] = report.result;
    }
  } finally {
    ok = !cancelled && reports.length === steps.length && reports.every((r) => r.ok);
    durationMs = performance.now() - startedAt;
    if (!ok) {
      const failed = reports.find((r) => !r.ok);
      root.setAttribute(ATTR_ERROR_TYPE, cancelled ? "cancelled" : (failed?.outcome ?? "error"));
      root.setStatus({
        code: SpanStatusCode.ERROR,
        message: cancelled ? "cancelled by the caller's signal" : `step "${failed?.name}" failed`,
      });
    }
    root.end();
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

async function runStep(
  state: RunState,
  step: Step,
  index: number,
  parent: Context,
): Promise<{ report: StepReport; cancelled: boolean }> {
  const { options, tracer, name: run } = state;
  const timeoutMs = step.timeoutMs ?? options.timeoutPerStepMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = step.maxRetries ?? options.maxRetriesPerStep ?? DEFAULT_MAX_RETRIES;
  const started = performance.now();
  const span = tracer.startSpan(
    step.name,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [ATTR_JOTTY_STEP_NAME]: step.name,
        [ATTR_JOTTY_STEP_INDEX]: index,
        [ATTR_JOTTY_STEP_TIMEOUT_MS]: timeoutMs,
      },
    },
    parent,
  );
  const stepContext = trace.setSpan(parent, span);
  const attempts: AttemptReport[] = [];
  let last: AttemptResult<unknown> | undefined;
  let cancelled = false;

  for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
    const base = { run, step: step.name, index, attempt };
    state.emit({ type: "attempt-start", ...base, atMs: state.at(), timeoutMs });
    const attemptSpan = tracer.startSpan(
      `attempt ${attempt}`,
      { kind: SpanKind.INTERNAL, attributes: { [ATTR_JOTTY_STEP_ATTEMPT]: attempt } },
      stepContext,
    );
    const attemptContext = trace.setSpan(stepContext, attemptSpan);
    const results = { list: [...state.results.list], byName: { ...state.results.byName } };
    last = await runAttempt(
      step.name,
      (signal) => context.with(attemptContext, () => step.run({ signal, attempt, results })),
      timeoutMs,
      options.signal,
      {
        onTimeout() {
          const attributes = { [ATTR_JOTTY_STEP_ATTEMPT]: attempt, [ATTR_JOTTY_STEP_TIMEOUT_MS]: timeoutMs };
          span.addEvent(EVENT_JOTTY_STEP_TIMEOUT, attributes);
          attemptSpan.addEvent(EVENT_JOTTY_STEP_TIMEOUT, attributes);
          state.emit({ type: "timeout", ...base, atMs: state.at(), timeoutMs });
        },
        onAbandoned(reason) {
          span.addEvent(EVENT_JOTTY_STEP_ABANDONED, { [ATTR_JOTTY_STEP_ATTEMPT]: attempt, reason });
          state.emit({ type: "abandoned", ...base, atMs: state.at(), reason });
        },
      },
    );
    endAttemptSpan(attemptSpan, last);
    attempts.push({
      attempt,
      durationMs: last.durationMs,
      outcome: last.outcome,
      ...(last.outcome === "ok" ? {} : { error: last.error }),
      ...(last.abandoned ? { abandoned: true } : {}),
    });
    state.emit({
      type: "attempt-end",
      ...base,
      atMs: state.at(),
      outcome: last.outcome,
      durationMs: last.durationMs,
      ...(last.outcome === "ok" ? {} : { error: describe(last.error) }),
    });
    if (last.outcome === "ok") break;
    if (last.cancelled) {
      cancelled = true;
      span.addEvent(EVENT_JOTTY_STEP_CANCELLED, { [ATTR_JOTTY_STEP_ATTEMPT]: attempt });
      break;
    }
    if (attempt > maxRetries) break;
    const delayMs = backoffDelayMs(attempt, options.backoff, options.random);
    span.addEvent(EVENT_JOTTY_STEP_RETRY, { [ATTR_JOTTY_STEP_ATTEMPT]: attempt + 1, [ATTR_JOTTY_STEP_BACKOFF_MS]: delayMs });
    state.emit({ type: "retry", ...base, atMs: state.at(), delayMs });
    try {
      await delay(delayMs, options.signal);
    } catch {
      cancelled = true;
      span.addEvent(EVENT_JOTTY_STEP_CANCELLED, { [ATTR_JOTTY_STEP_ATTEMPT]: attempt });
      break;
    }
  }

  const final = last as AttemptResult<unknown>;
  const durationMs = performance.now() - started;
  span.setAttributes({ [ATTR_JOTTY_STEP_ATTEMPTS]: attempts.length, [ATTR_JOTTY_STEP_OUTCOME]: final.outcome });
  if (final.outcome !== "ok") {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(final, cancelled));
    span.setStatus({ code: SpanStatusCode.ERROR, message: describe(final.error) });
  }
  span.end();
  state.emit({
    type: "step-end",
    run,
    step: step.name,
    index,
    attempt: attempts.length,
    atMs: state.at(),
    outcome: final.outcome,
    attempts: attempts.length,
    durationMs,
  });
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

function endAttemptSpan(span: Span, result: AttemptResult<unknown>): void {
  span.setAttribute(ATTR_JOTTY_STEP_OUTCOME, result.outcome);
  if (result.outcome !== "ok") {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(result, result.cancelled));
    if (result.outcome === "error" && !result.cancelled && result.error instanceof Error) span.recordException(result.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: describe(result.error) });
  }
  span.end();
}

function errorType(result: AttemptResult<unknown>, cancelled: boolean): string {
  if (result.outcome === "timeout") return "timeout";
  if (cancelled) return "cancelled";
  const error = result.error;
  if (error instanceof Error || error instanceof DOMException) return error.name || "Error";
  return "_OTHER";
}

function describe(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message || error.name;
  return String(error);
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
