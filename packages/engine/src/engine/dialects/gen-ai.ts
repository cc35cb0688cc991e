// GenAI semantic conventions, current and older names (also what Mastra, the Anthropic SDK's own
// telemetry, OpenLLMetry's LLM spans, @ai-sdk/otel and the contrib OpenAI instrumentation write).

import type { Attributes, Span } from "../../model.js";
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_FLAT,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_FLAT,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_COST,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_TOKENS_FLAT,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_JOTTY_LLM_PROMPT_HASH,
  LLM_OPERATIONS,
  OPERATION_CREATE_AGENT,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  OPERATION_INVOKE_WORKFLOW,
} from "../../semconv.js";
import { openLlmetryAnthropicInput, withCacheAddedBack } from "./anthropic-input.js";
import { figure, firstFigure, firstStr, str } from "./attrs.js";
import { Frame, llmInfo, Role, type LlmInfo, type Reading, type UsageParts } from "./reading.js";

/** gen_ai.operation.name values of framework steps: AI SDK 7 (`step N`) and Mastra. */
const STEP_OPERATIONS: ReadonlySet<string> = new Set(["agent_step", "workflow_step"]);

/** The GenAI usage attributes of a span, current names first. */
export function genAiUsage(attrs: Attributes): UsageParts {
  const parts = recordedGenAiUsage(attrs);
  return openLlmetryAnthropicInput(attrs, parts.provider) ? withCacheAddedBack(parts) : parts;
}

/** The GenAI usage attributes as recorded, before any add-back. */
export function recordedGenAiUsage(attrs: Attributes): UsageParts {
  return {
    provider: firstStr(attrs, ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_SYSTEM),
    model: str(attrs, ATTR_GEN_AI_REQUEST_MODEL),
    responseModel: str(attrs, ATTR_GEN_AI_RESPONSE_MODEL),
    input: firstFigure(attrs, ATTR_GEN_AI_USAGE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_PROMPT_TOKENS),
    output: firstFigure(attrs, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, ATTR_GEN_AI_USAGE_COMPLETION_TOKENS),
    cacheRead: firstFigure(attrs, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_FLAT),
    cacheWrite: firstFigure(
      attrs,
      ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
      ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
      ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_FLAT,
    ),
    reasoning: firstFigure(attrs, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, ATTR_GEN_AI_USAGE_REASONING_TOKENS_FLAT),
    cost: figure(attrs, ATTR_GEN_AI_USAGE_COST),
    promptHash: str(attrs, ATTR_JOTTY_LLM_PROMPT_HASH),
  };
}

export function genAiLlm(attrs: Attributes): LlmInfo {
  return llmInfo(genAiUsage(attrs));
}

export function readGenAi(span: Span): Reading | undefined {
  const attrs = span.attributes;
  const operation = str(attrs, ATTR_GEN_AI_OPERATION_NAME);
  if (operation === undefined) return undefined;
  if (LLM_OPERATIONS.has(operation)) return { role: Role.Llm, llm: genAiLlm(attrs) };
  if (operation === OPERATION_EXECUTE_TOOL) return { role: Role.Tool, label: str(attrs, ATTR_GEN_AI_TOOL_NAME) };
  // Our runs: a workflow wherever it is, as before other dialects were read.
  if (operation === OPERATION_INVOKE_WORKFLOW) return { role: Role.Workflow, label: str(attrs, ATTR_GEN_AI_WORKFLOW_NAME) };
  // Agent roll-ups repeat their calls' gen_ai.usage.*: never a call themselves.
  if (operation === OPERATION_INVOKE_AGENT) return { role: Role.Other, frame: Frame.Container, label: str(attrs, ATTR_GEN_AI_AGENT_NAME) };
  if (STEP_OPERATIONS.has(operation)) return { role: Role.Other, frame: Frame.FrameworkStep, stepIndex: stepNumber(span.name) };
  if (operation === OPERATION_CREATE_AGENT) return { role: Role.Other };
  return undefined;
}

/** N of a span named `step N` (AI SDK 7), else undefined. */
export function stepNumber(name: string): number | undefined {
  const m = /^step (\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
