import { SpanStatusCode, type Exception, type Span } from "@opentelemetry/api";
import { knownSecrets } from "../redaction/known-secrets.js";
import { redactText } from "../redaction/redact-text.js";

/**
 * Records a thrown value on the span (exception event + status ERROR) with key shapes and the
 * given `secrets` (default: those this process sent on LLM requests) redacted from its message
 * and stack trace; never throws itself.
 */
export function recordError(span: Span, error: unknown, secrets: readonly string[] = knownSecrets()): void {
  if (error instanceof Error) {
    const message = redactText(error.message, secrets);
    const exception: Exception = { name: redactText(error.name, secrets), message };
    if (error.stack !== undefined) exception.stack = redactText(error.stack, secrets);
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") exception.code = redactText(code, secrets);
    else if (typeof code === "number") exception.code = code;
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  } else {
    const message = redactText(String(error), secrets);
    span.recordException(message);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}
