// The compact per-span record the report builder keeps until a trace is analysed: only what
// the report needs, so a million spans fit comfortably in memory.

import type { Span } from "../model.js";
import {
  ATTR_ERROR_TYPE,
  ATTR_JOTTY_STEP_ATTEMPT,
  ATTR_JOTTY_STEP_ATTEMPTS,
  ATTR_JOTTY_STEP_BACKOFF_MS,
  ATTR_JOTTY_STEP_INDEX,
  ATTR_JOTTY_STEP_NAME,
  ATTR_JOTTY_STEP_OUTCOME,
  EVENT_JOTTY_STEP_RETRY,
  EVENT_JOTTY_STEP_TIMEOUT,
} from "../semconv.js";
import { num, str } from "./dialects/attrs.js";
import { Frame, readSpan, Role, TOKEN_USAGE, Usage, type LlmInfo } from "./dialects/index.js";
import type { Linkable } from "./link-trace.js";
import { callInsight, type CallInsight } from "./call-insight.js";
import { intern } from "./intern.js";

export { Frame, Role, TOKEN_USAGE, Usage, type LlmInfo };

export interface StepInfo {
  name: string;
  index: number;
  /** The attempt number on an attempt span; 0 on the step span itself. */
  attempt: number;
  attempts: number;
  outcome: string;
  /** Timeout events recorded on the span. */
  timeoutEvents: number;
  /** Time from the span's start to the end of the backoff after its last retry event; 0 without one. */
  retriedNs: number;
  /** error.type of a failed step or attempt ("" otherwise). */
  errorType: string;
}

export interface SpanNode extends Linkable {
  name: string;
  service: string;
  error: boolean;
  role: Role;
  llm: LlmInfo | undefined;
  /** On LLM spans: what the insight detectors read (prefix fingerprints, tool results, status…). */
  call: CallInsight | undefined;
  step: StepInfo | undefined;
  /** gen_ai.workflow.name (else the span name) on a workflow span. */
  workflow: string | undefined;
  /** How a framework span frames the work below it; resolved into a run or step per trace. */
  frame: Frame;
  /** The dialect's name for the run, step or tool (else the span name). */
  label: string;
  /** Step position the dialect states (AI SDK 7 `step N`); -1 when none. */
  stepIndex: number;
  /** The dialect that read the span ("" when none did); with the name, tells instrumentations apart. */
  dialect: string;
}

export function toSpanNode(span: Span): SpanNode {
  const attrs = span.attributes;
  const reading = readSpan(span);
  let role: Role = reading.role;
  let step: StepInfo | undefined;
  if (role === Role.Llm) {
    // An inference span is a call whatever else it carries.
  } else if ((num(attrs, ATTR_JOTTY_STEP_ATTEMPT) ?? 0) > 0) {
    // The step runner's "attempt N" spans carry only the attempt number and its outcome.
    role = Role.Attempt;
    step = stepInfo(span, num(attrs, ATTR_JOTTY_STEP_ATTEMPT)!);
  } else if (attrs[ATTR_JOTTY_STEP_NAME] !== undefined || attrs[ATTR_JOTTY_STEP_INDEX] !== undefined) {
    role = Role.Step;
    step = stepInfo(span, 0);
  }
  const name = intern(span.name);
  const label = reading.label === undefined ? name : intern(reading.label);
  const service = span.resource["service.name"];
  const llm = reading.llm;
  if (llm !== undefined) {
    llm.provider = intern(llm.provider);
    llm.model = intern(llm.model);
    llm.pricedModel = intern(llm.pricedModel);
  }
  return {
    spanId: span.spanId,
    parentId: span.parentSpanId ?? "",
    start: span.startNs,
    end: span.endNs,
    name,
    service: typeof service === "string" ? intern(service) : "unknown",
    error: span.status.code === "ERROR",
    role,
    llm,
    call: role === Role.Llm ? callInsight(attrs) : undefined,
    step,
    workflow: role === Role.Workflow ? label : undefined,
    frame: role === reading.role ? (reading.frame ?? Frame.None) : Frame.None,
    label,
    stepIndex: reading.stepIndex ?? -1,
    dialect: reading.dialect ?? "",
  };
}

const stepPosition = (index: number | undefined): number => (index === undefined ? -1 : index + 1);

function stepInfo(span: Span, attempt: number): StepInfo {
  const attrs = span.attributes;
  let timeoutEvents = 0;
  let retriedNs = 0;
  for (const event of span.events ?? []) {
    if (event.name === EVENT_JOTTY_STEP_TIMEOUT) timeoutEvents++;
    else if (event.name === EVENT_JOTTY_STEP_RETRY) {
      const backoffMs = num(event.attributes, ATTR_JOTTY_STEP_BACKOFF_MS) ?? 0;
      const until = event.timeNs - span.startNs + backoffMs * 1e6;
      if (until > retriedNs) retriedNs = until;
    }
  }
  const outcome = str(attrs, ATTR_JOTTY_STEP_OUTCOME) ?? (span.status.code === "ERROR" ? "error" : "ok");
  return {
    name: str(attrs, ATTR_JOTTY_STEP_NAME) ?? span.name,
    // The step runner counts from 0 (jotty.step.index); the report counts from 1, as its progress lines do.
    index: stepPosition(num(attrs, ATTR_JOTTY_STEP_INDEX)),
    attempt,
    attempts: num(attrs, ATTR_JOTTY_STEP_ATTEMPTS) ?? 1,
    outcome,
    timeoutEvents,
    retriedNs: Math.min(retriedNs, Math.max(0, span.endNs - span.startNs)),
    errorType: str(attrs, ATTR_ERROR_TYPE) ?? "",
  };
}
