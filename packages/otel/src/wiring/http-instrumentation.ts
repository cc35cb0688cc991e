import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { redactUrlHook } from "../capture/index.js";

/**
 * HTTP client spans for fetch/undici, with credentials in URLs (Gemini's `?key=`) redacted. A
 * request made inside an llm_call (by llmCall() or the fetch capture) gets its HTTP span as a
 * child of the llm_call, as the span contract says; the analyzer engine attributes that child's
 * self time to the LLM call.
 */
export function createHttpInstrumentation(): UndiciInstrumentation {
  return new UndiciInstrumentation({ startSpanHook: redactUrlHook });
}
