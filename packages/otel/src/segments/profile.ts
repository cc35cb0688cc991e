import type { Attributes, Span, SpanOptions } from "@opentelemetry/api";
import { isPromiseLike, recordError } from "./record-error.js";
import { getTracer } from "./tracer.js";

const NO_OPTIONS: SpanOptions = {};

/**
 * Runs `fn` inside an INTERNAL span named `name`, a child of the active span. Sync functions
 * stay sync (the value is returned as is); promises are returned chained to end the span.
 * A throw or rejection is recorded on the span (status ERROR) and re-thrown unchanged.
 */
export function profile<T>(name: string, fn: (span: Span) => Promise<T>, attributes?: Attributes): Promise<T>;
export function profile<T>(name: string, fn: (span: Span) => T, attributes?: Attributes): T;
export function profile<T>(name: string, fn: (span: Span) => T, attributes?: Attributes): T {
  return getTracer().startActiveSpan(name, attributes === undefined ? NO_OPTIONS : { attributes }, (span) => runInSpan(span, fn));
}

/** Calls fn(span) and ends the span when fn's result settles. Shared by profile and toolCall. */
export function runInSpan<T>(span: Span, fn: (span: Span) => T): T {
  let result: T;
  try {
    result = fn(span);
  } catch (error) {
    recordError(span, error);
    span.end();
    throw error;
  }
  if (isPromiseLike(result)) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}
