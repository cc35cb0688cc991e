import { UndiciInstrumentation, type UndiciInstrumentationConfig } from "@opentelemetry/instrumentation-undici";
import { redactUrlHook } from "../capture/index.js";
import { replacePropagatedHeaders } from "./propagated-headers.js";

/** The undici instrumentation's settings start() uses (tests set up the same). */
export function httpInstrumentationConfig(): UndiciInstrumentationConfig {
  return { startSpanHook: redactUrlHook, requestHook: replacePropagatedHeaders };
}

/**
 * HTTP client spans for fetch/undici, with credentials in URLs (Gemini's `?key=`, a key in a
 * path segment) redacted and one trace context per request. A request made inside an llm_call
 * (by llmCall() or the fetch capture) gets its HTTP span as a child of the llm_call, as the span
 * contract says; the analyzer engine attributes that child's self time to the LLM call.
 */
export function createHttpInstrumentation(): UndiciInstrumentation {
  return new UndiciInstrumentation(httpInstrumentationConfig());
}
