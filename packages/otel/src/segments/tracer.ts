import { trace, type Tracer, type TracerProvider } from "@opentelemetry/api";

export const INSTRUMENTATION_SCOPE = "@jotty/otel";
export const INSTRUMENTATION_VERSION = "0.1.0";

let provider: TracerProvider | undefined;
let cached: Tracer | undefined;

/**
 * The @jotty/otel tracer from the global API. A ProxyTracer binds to the SDK's tracer on first
 * use after registration; it is re-fetched when the global provider is replaced (shutdown()
 * then start() again), so spans never go to a stopped SDK.
 */
export function getTracer(): Tracer {
  const current = trace.getTracerProvider();
  if (current !== provider || cached === undefined) {
    provider = current;
    cached = current.getTracer(INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION);
  }
  return cached;
}
