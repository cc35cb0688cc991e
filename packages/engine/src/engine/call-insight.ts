// What an LLM span tells the detectors beyond usage (issue 21's capture attributes): prompt
// prefix fingerprints, tool results carried, tool calls asked for, max_tokens, finish reasons,
// HTTP status, the provider's error type and retry-after. Read once per span, kept compact.

import type { AttributeValue, Attributes } from "../model.js";
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_JOTTY_LLM_PROMPT_PREFIX_HASHES,
  ATTR_JOTTY_LLM_PROMPT_PREFIX_TOKENS,
  ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_BYTES,
  ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_NAMES,
  ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_HASHES,
  ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_NAMES,
  ATTR_JOTTY_LLM_RETRY_AFTER_MS,
} from "../semconv.js";
import { num, str } from "./dialects/attrs.js";

export interface CallInsight {
  prefixHashes: readonly string[];
  /** Estimated tokens up to each boundary (cumulative). */
  prefixTokens: readonly number[];
  toolResultBytes: readonly number[];
  toolResultNames: readonly string[];
  toolCallHashes: readonly string[];
  toolCallNames: readonly string[];
  /** 0 when unknown. */
  maxTokens: number;
  finishReasons: readonly string[];
  /** 0 when unknown. */
  httpStatus: number;
  /** error.type; "" when the call did not fail. */
  errorType: string;
  /** -1 when the response asked for no wait. */
  retryAfterMs: number;
}

const NONE: readonly never[] = [];

/** What a call without any insight attribute tells: one shared record, not one per pending span. */
const NO_INSIGHT: CallInsight = Object.freeze({
  prefixHashes: NONE,
  prefixTokens: NONE,
  toolResultBytes: NONE,
  toolResultNames: NONE,
  toolCallHashes: NONE,
  toolCallNames: NONE,
  maxTokens: 0,
  finishReasons: NONE,
  httpStatus: 0,
  errorType: "",
  retryAfterMs: -1,
});

export function callInsight(attrs: Attributes): CallInsight {
  const insight: CallInsight = {
    prefixHashes: strings(attrs[ATTR_JOTTY_LLM_PROMPT_PREFIX_HASHES]),
    prefixTokens: numbers(attrs[ATTR_JOTTY_LLM_PROMPT_PREFIX_TOKENS]),
    toolResultBytes: numbers(attrs[ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_BYTES]),
    toolResultNames: strings(attrs[ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_NAMES]),
    toolCallHashes: strings(attrs[ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_HASHES]),
    toolCallNames: strings(attrs[ATTR_JOTTY_LLM_RESPONSE_TOOL_CALL_NAMES]),
    maxTokens: num(attrs, ATTR_GEN_AI_REQUEST_MAX_TOKENS) ?? 0,
    finishReasons: strings(attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]),
    httpStatus: num(attrs, ATTR_HTTP_RESPONSE_STATUS_CODE) ?? 0,
    errorType: str(attrs, ATTR_ERROR_TYPE) ?? "",
    retryAfterMs: num(attrs, ATTR_JOTTY_LLM_RETRY_AFTER_MS) ?? -1,
  };
  return isEmpty(insight) ? NO_INSIGHT : insight;
}

function isEmpty(c: CallInsight): boolean {
  return (
    c.prefixHashes === NONE &&
    c.prefixTokens === NONE &&
    c.toolResultBytes === NONE &&
    c.toolResultNames === NONE &&
    c.toolCallHashes === NONE &&
    c.toolCallNames === NONE &&
    c.maxTokens === 0 &&
    c.finishReasons === NONE &&
    c.httpStatus === 0 &&
    c.errorType === "" &&
    c.retryAfterMs === -1
  );
}

/** Statuses and error types of "too many requests, come back later" answers (OpenAI, Anthropic 429/529, Gemini, Bedrock). */
const RATE_LIMIT_STATUSES: ReadonlySet<number> = new Set([429, 503, 529]);
const RATE_LIMIT_TYPE = /rate_?limit|overloaded|too_?many_?requests|resource_exhausted|throttl|429|529|503/i;

export function isRateLimited(c: CallInsight): boolean {
  return RATE_LIMIT_STATUSES.has(c.httpStatus) || (c.errorType !== "" && RATE_LIMIT_TYPE.test(c.errorType));
}

/** Finish reasons that mean the answer hit its token limit (OpenAI `length`, Anthropic `max_tokens`, Gemini `MAX_TOKENS`). */
export function hitTokenLimit(c: CallInsight): boolean {
  return c.finishReasons.some((r) => r === "length" || r === "max_tokens" || r === "MAX_TOKENS" || r === "max_output_tokens");
}

// Arrays arrive as arrays (OTLP, in-process) or as JSON text (Jaeger UI downloads).
function strings(v: AttributeValue | undefined): readonly string[] {
  const a = arrayOf(v);
  return a === undefined ? NONE : a.map(String);
}

function numbers(v: AttributeValue | undefined): readonly number[] {
  const a = arrayOf(v);
  return a === undefined ? NONE : a.map(Number).filter(Number.isFinite);
}

function arrayOf(v: AttributeValue | undefined): readonly unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === "string" && v.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(v);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof v === "string" && v !== "") return [v];
  return undefined;
}
