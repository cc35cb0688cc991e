// The compact per-span record the report builder keeps until a trace is analysed: only what
// the report needs, so a million spans fit comfortably in memory.

import type { Attributes, Span } from "../model.js";
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COST,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_JOTTY_LLM_PROMPT_HASH,
  ATTR_JOTTY_STEP_ATTEMPT,
  ATTR_JOTTY_STEP_ATTEMPTS,
  ATTR_JOTTY_STEP_BACKOFF_MS,
  ATTR_JOTTY_STEP_INDEX,
  ATTR_JOTTY_STEP_NAME,
  ATTR_JOTTY_STEP_OUTCOME,
  EVENT_JOTTY_STEP_RETRY,
  EVENT_JOTTY_STEP_TIMEOUT,
  LLM_OPERATIONS,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_WORKFLOW,
} from "../semconv.js";
import type { Linkable } from "./link-trace.js";

export const Role = { Other: 0, Llm: 1, Step: 2, Attempt: 3, Tool: 4, Workflow: 5 } as const;
export type Role = (typeof Role)[keyof typeof Role];

export interface LlmInfo {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** USD from gen_ai.usage.cost; NaN when the span has none. */
  costUsd: number;
  promptHash: string;
}

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
}

export interface SpanNode extends Linkable {
  name: string;
  service: string;
  error: boolean;
  role: Role;
  llm: LlmInfo | undefined;
  step: StepInfo | undefined;
  /** gen_ai.workflow.name (else the span name) on a workflow span. */
  workflow: string | undefined;
}

const str = (attrs: Attributes, key: string): string | undefined => {
  const v = attrs[key];
  return typeof v === "string" ? v : undefined;
};

const num = (attrs: Attributes, key: string): number | undefined => {
  const v = attrs[key];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
};

export function toSpanNode(span: Span): SpanNode {
  const attrs = span.attributes;
  const operation = str(attrs, ATTR_GEN_AI_OPERATION_NAME);
  let role: Role = Role.Other;
  let llm: LlmInfo | undefined;
  let step: StepInfo | undefined;
  if (operation !== undefined && LLM_OPERATIONS.has(operation)) {
    role = Role.Llm;
    llm = {
      provider: str(attrs, ATTR_GEN_AI_PROVIDER_NAME) ?? "unknown",
      model: str(attrs, ATTR_GEN_AI_REQUEST_MODEL) ?? str(attrs, ATTR_GEN_AI_RESPONSE_MODEL) ?? "unknown",
      inputTokens: num(attrs, ATTR_GEN_AI_USAGE_INPUT_TOKENS) ?? 0,
      outputTokens: num(attrs, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS) ?? 0,
      cacheReadTokens: num(attrs, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS) ?? 0,
      costUsd: num(attrs, ATTR_GEN_AI_USAGE_COST) ?? Number.NaN,
      promptHash: str(attrs, ATTR_JOTTY_LLM_PROMPT_HASH) ?? "",
    };
  } else if ((num(attrs, ATTR_JOTTY_STEP_ATTEMPT) ?? 0) > 0) {
    // The step runner's "attempt N" spans carry only the attempt number and its outcome.
    role = Role.Attempt;
    step = stepInfo(span, num(attrs, ATTR_JOTTY_STEP_ATTEMPT)!);
  } else if (attrs[ATTR_JOTTY_STEP_NAME] !== undefined || attrs[ATTR_JOTTY_STEP_INDEX] !== undefined) {
    role = Role.Step;
    step = stepInfo(span, 0);
  } else if (operation === OPERATION_EXECUTE_TOOL) role = Role.Tool;
  else if (operation === OPERATION_INVOKE_WORKFLOW) role = Role.Workflow;
  const service = span.resource["service.name"];
  return {
    spanId: span.spanId,
    parentId: span.parentSpanId ?? "",
    start: span.startNs,
    end: span.endNs,
    name: span.name,
    service: typeof service === "string" ? service : "unknown",
    error: span.status.code === "ERROR",
    role,
    llm,
    step,
    workflow: role === Role.Workflow ? (str(attrs, ATTR_GEN_AI_WORKFLOW_NAME) ?? span.name) : undefined,
  };
}

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
    index: num(attrs, ATTR_JOTTY_STEP_INDEX) ?? -1,
    attempt,
    attempts: num(attrs, ATTR_JOTTY_STEP_ATTEMPTS) ?? 1,
    outcome,
    timeoutEvents,
    retriedNs: Math.min(retriedNs, Math.max(0, span.endNs - span.startNs)),
  };
}
