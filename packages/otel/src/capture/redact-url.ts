// Credentials in URLs never reach a span. The llm_call span records no URL at all; redactUrlHook
// keeps them out of the undici HTTP span too (pass it as UndiciInstrumentation's startSpanHook).
import type { Attributes } from "@opentelemetry/api";
import { mayHoldUrlSecret, redactUrl } from "../redaction/redact-url.js";

export { redactQuery, redactUrl } from "../redaction/redact-url.js";

const NOTHING: Attributes = Object.freeze({});

/** startSpanHook for @opentelemetry/instrumentation-undici: overrides url.full / url.query when they hold credentials. */
export function redactUrlHook(request: { origin: string; path: string }): Attributes {
  const full = request.origin + request.path;
  if (!mayHoldUrlSecret(full)) return NOTHING;
  let original: string;
  try {
    original = new URL(full).href;
  } catch {
    return NOTHING;
  }
  const safe = redactUrl(full);
  if (safe === original) return NOTHING;
  const query = safe.indexOf("?");
  return { "url.full": safe, "url.query": query === -1 ? "" : safe.slice(query) };
}
