import { trace, type Tracer } from "@opentelemetry/api";

export const INSTRUMENTATION_SCOPE = "@jotty/otel";
export const INSTRUMENTATION_VERSION = "0.1.0";

// A ProxyTracer from the global API: it binds to the SDK's tracer on first use after the SDK is
// registered, so spans made before start() are no-ops and later ones are real.
export const tracer: Tracer = trace.getTracer(INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION);
