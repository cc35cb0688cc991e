// The spans of a step run, as a listener of the runner's events: `invoke_workflow {run}` at
// run-start, a span per step and an `attempt N` span per attempt, with timeouts, retries and
// cancellations as span events. The runner asks it for the context an attempt runs in.
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
} from "@jotty/engine/semconv";
import { knownSecrets } from "../redaction/known-secrets.js";
import { redactText } from "../redaction/redact-text.js";
import { recordError } from "../segments/record-error.js";
import type { StepEventDetail, StepListener } from "./step-events.js";
import type { StepOutcome, StepProgressEvent } from "./types.js";

export class StepSpans implements StepListener {
  readonly #tracer: Tracer;
  readonly #parent: Context;
  #root: Span | undefined;
  #rootContext: Context;
  #step: Span | undefined;
  #stepContext: Context;
  #attempt: Span | undefined;
  #attemptContext: Context;
  #failedStep: { name: string; outcome: StepOutcome } | undefined;

  constructor(tracer: Tracer, parent: Context = context.active()) {
    this.#tracer = tracer;
    this.#parent = parent;
    this.#rootContext = this.#stepContext = this.#attemptContext = parent;
  }

  /** The context the running attempt's work belongs in (its `attempt N` span). */
  get attemptContext(): Context {
    return this.#attemptContext;
  }

  handle(event: StepProgressEvent, detail: StepEventDetail = {}): void {
    switch (event.type) {
      case "run-start":
        this.#root = this.#tracer.startSpan(
          `${OPERATION_INVOKE_WORKFLOW} ${event.run}`,
          {
            kind: SpanKind.INTERNAL,
            attributes: { [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_WORKFLOW, [ATTR_GEN_AI_WORKFLOW_NAME]: event.run },
          },
          this.#parent,
        );
        this.#rootContext = trace.setSpan(this.#parent, this.#root);
        return;
      case "attempt-start":
        if (event.attempt === 1) {
          this.#step = this.#tracer.startSpan(
            event.step,
            {
              kind: SpanKind.INTERNAL,
              attributes: {
                [ATTR_JOTTY_STEP_NAME]: event.step,
                [ATTR_JOTTY_STEP_INDEX]: event.index,
                [ATTR_JOTTY_STEP_TIMEOUT_MS]: event.timeoutMs,
              },
            },
            this.#rootContext,
          );
          this.#stepContext = trace.setSpan(this.#rootContext, this.#step);
        }
        this.#attempt = this.#tracer.startSpan(
          `attempt ${event.attempt}`,
          { kind: SpanKind.INTERNAL, attributes: { [ATTR_JOTTY_STEP_ATTEMPT]: event.attempt } },
          this.#stepContext,
        );
        this.#attemptContext = trace.setSpan(this.#stepContext, this.#attempt);
        return;
      case "timeout": {
        const attributes = { [ATTR_JOTTY_STEP_ATTEMPT]: event.attempt, [ATTR_JOTTY_STEP_TIMEOUT_MS]: event.timeoutMs };
        this.#step?.addEvent(EVENT_JOTTY_STEP_TIMEOUT, attributes);
        this.#attempt?.addEvent(EVENT_JOTTY_STEP_TIMEOUT, attributes);
        return;
      }
      case "abandoned":
        this.#step?.addEvent(EVENT_JOTTY_STEP_ABANDONED, { [ATTR_JOTTY_STEP_ATTEMPT]: event.attempt, reason: event.reason });
        return;
      case "attempt-end":
        if (this.#attempt !== undefined) {
          this.#attempt.setAttribute(ATTR_JOTTY_STEP_OUTCOME, event.outcome);
          endWithOutcome(this.#attempt, event.outcome, detail, true);
        }
        this.#attempt = undefined;
        this.#attemptContext = this.#stepContext;
        return;
      case "retry":
        this.#step?.addEvent(EVENT_JOTTY_STEP_RETRY, { [ATTR_JOTTY_STEP_ATTEMPT]: event.attempt + 1, [ATTR_JOTTY_STEP_BACKOFF_MS]: event.delayMs });
        return;
      case "step-end": {
        const step = this.#step;
        if (step === undefined) return;
        if (detail.cancelled) step.addEvent(EVENT_JOTTY_STEP_CANCELLED, { [ATTR_JOTTY_STEP_ATTEMPT]: event.attempt });
        step.setAttributes({ [ATTR_JOTTY_STEP_ATTEMPTS]: event.attempts, [ATTR_JOTTY_STEP_OUTCOME]: event.outcome });
        endWithOutcome(step, event.outcome, detail, false);
        if (event.outcome !== "ok") this.#failedStep = { name: event.step, outcome: event.outcome };
        this.#step = undefined;
        this.#stepContext = this.#attemptContext = this.#rootContext;
        return;
      }
      case "run-end": {
        const root = this.#root;
        if (root === undefined) return;
        if (!event.ok) {
          root.setAttribute(ATTR_ERROR_TYPE, event.cancelled ? "cancelled" : (this.#failedStep?.outcome ?? "error"));
          root.setStatus({
            code: SpanStatusCode.ERROR,
            message: event.cancelled ? "cancelled by the caller's signal" : `step "${this.#failedStep?.name}" failed`,
          });
        }
        root.end();
        return;
      }
    }
  }
}

/** Error type and status on a step or attempt span, then its end; attempts also record the exception. */
function endWithOutcome(span: Span, outcome: StepOutcome, detail: StepEventDetail, recordException: boolean): void {
  if (outcome !== "ok") {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(outcome, detail));
    const error = detail.error;
    // Both paths redact key shapes and the secrets this process sent: step errors quote them too.
    if (recordException && outcome === "error" && !detail.cancelled && error instanceof Error) recordError(span, error);
    else span.setStatus({ code: SpanStatusCode.ERROR, message: redactText(describeError(error), knownSecrets()) });
  }
  span.end();
}

function errorType(outcome: StepOutcome, detail: StepEventDetail): string {
  if (outcome === "timeout") return "timeout";
  if (detail.cancelled) return "cancelled";
  const error = detail.error;
  if (error instanceof Error || error instanceof DOMException) return error.name || "Error";
  return "_OTHER";
}

export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message || error.name;
  return String(error);
}
