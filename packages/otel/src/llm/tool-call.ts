import type { Attributes, Span, SpanOptions } from "@opentelemetry/api";
import { ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_TOOL_NAME, OPERATION_EXECUTE_TOOL } from "@jotty/engine/semconv";
import { runInSpan } from "../segments/profile.js";
import { getTracer } from "../segments/tracer.js";

/**
 * Runs `fn` inside an `execute_tool {name}` INTERNAL span (gen_ai.operation.name=execute_tool,
 * gen_ai.tool.name). Sync stays sync; errors are recorded and re-thrown unchanged.
 */
export function toolCall<T>(name: string, fn: (span: Span) => Promise<T>, attributes?: Attributes): Promise<T>;
export function toolCall<T>(name: string, fn: (span: Span) => T, attributes?: Attributes): T;
export function toolCall<T>(name: string, fn: (span: Span) => T, attributes?: Attributes): T {
  const options: SpanOptions = {
    attributes: { ...attributes, [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL, [ATTR_GEN_AI_TOOL_NAME]: name },
  };
  return getTracer().startActiveSpan(`${OPERATION_EXECUTE_TOOL} ${name}`, options, (span) => runInSpan(span, fn));
}
