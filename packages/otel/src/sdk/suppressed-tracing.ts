// Whether a context is inside @opentelemetry/core's suppressTracing() (an exporter's own
// requests), without loading core: its key is made by the API's createContextKey, a Symbol.for()
// of this description, so it is the same key in every copy.
import { context as api, createContextKey, type Context } from "@opentelemetry/api";

const SUPPRESS_TRACING_KEY = createContextKey("OpenTelemetry SDK Context Key SUPPRESS_TRACING");

export function isTracingSuppressed(context: Context = api.active()): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}
