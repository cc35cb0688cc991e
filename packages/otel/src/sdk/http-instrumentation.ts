import { SpanKind, trace } from "@opentelemetry/api";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { LLM_SPAN_NAME } from "@jotty/analyzer/semconv";

/**
 * HTTP client spans for fetch/undici. A request made inside an llm_call (by llmCall() or the fetch
 * capture) gets no second span: the llm_call already is that request's CLIENT span (server
 * address, port, error type), and an HTTP child would take all its self time, so the bottleneck
 * report would blame "POST" instead of the model call.
 */
export function createHttpInstrumentation(): UndiciInstrumentation {
  return new UndiciInstrumentation({ ignoreRequestHook: () => isInsideLlmCall() });
}

function isInsideLlmCall(): boolean {
  const span = trace.getActiveSpan() as Partial<ReadableSpan> | undefined;
  return span?.name === LLM_SPAN_NAME && span.kind === SpanKind.CLIENT;
}
