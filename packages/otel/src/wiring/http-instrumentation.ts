import diagnostics from "node:diagnostics_channel";
import type { UndiciInstrumentation, UndiciInstrumentationConfig } from "@opentelemetry/instrumentation-undici";
import { redactUrlHook } from "../capture/index.js";
import { loadSync } from "../sdk/load-sync.js";
import { replacePropagatedHeaders } from "./propagated-headers.js";

type UndiciModule = typeof import("@opentelemetry/instrumentation-undici");

// The channel undici announces each new request on, before any other of its channels.
const REQUEST_CREATED = "undici:request:create";

export interface HttpInstrumentation {
  disable(): void;
}

/** The undici instrumentation's settings start() uses (tests set up the same). */
export function httpInstrumentationConfig(): UndiciInstrumentationConfig {
  return { startSpanHook: redactUrlHook, requestHook: replacePropagatedHeaders };
}

/**
 * HTTP client spans for fetch/undici, with credentials in URLs (Gemini's `?key=`, a key in a
 * path segment) redacted and one trace context per request. A request made inside an llm_call
 * (by llmCall() or the fetch capture) gets its HTTP span as a child of the llm_call, as the span
 * contract says; the analyzer engine attributes that child's self time to the LLM call.
 *
 * The instrumentation (and the instrumentation framework under it: require-in-the-middle,
 * import-in-the-middle) is made when undici announces its first request, not at start-up: an
 * app that never makes an HTTP request through undici does not load it.
 */
export function installHttpInstrumentation(): HttpInstrumentation {
  let instrumentation: UndiciInstrumentation | undefined;
  const onFirstRequest = (message: unknown): void => {
    diagnostics.unsubscribe(REQUEST_CREATED, onFirstRequest);
    try {
      const { UndiciInstrumentation } = loadSync<UndiciModule>("@opentelemetry/instrumentation-undici");
      instrumentation = new UndiciInstrumentation(httpInstrumentationConfig());
      // It subscribes as it is made, too late for the message being published: hand it over.
      (instrumentation as unknown as { onRequestCreated(message: unknown): void }).onRequestCreated(message);
    } catch (error) {
      process.stderr.write(`@jotty/otel: HTTP client spans are off: ${(error as Error).message}\n`);
    }
  };
  diagnostics.subscribe(REQUEST_CREATED, onFirstRequest);
  return {
    disable() {
      diagnostics.unsubscribe(REQUEST_CREATED, onFirstRequest);
      instrumentation?.disable();
    },
  };
}
