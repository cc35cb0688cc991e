// The HTTP status of an LLM call's response, and the wait an error response asks for
// (OpenAI's retry-after-ms, the standard retry-after in seconds or as an HTTP date).
import { ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_JOTTY_LLM_RETRY_AFTER_MS } from "@jotty/engine/semconv";

/** Waits longer than this are not a retry hint but a broken header. */
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

export function statusAttributes(status: number, header: ((name: string) => string | undefined) | undefined, now = Date.now()): Record<string, number> {
  const out: Record<string, number> = { [ATTR_HTTP_RESPONSE_STATUS_CODE]: status };
  if (header === undefined) return out;
  const wait = retryAfterMs(header("retry-after-ms"), header("retry-after"), now);
  if (wait !== undefined) out[ATTR_JOTTY_LLM_RETRY_AFTER_MS] = wait;
  return out;
}

export function retryAfterMs(ms: string | undefined, after: string | undefined, now: number): number | undefined {
  const fromMs = ms === undefined ? Number.NaN : Number(ms);
  if (Number.isFinite(fromMs) && fromMs >= 0 && fromMs <= MAX_RETRY_AFTER_MS) return fromMs;
  if (after === undefined || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 && seconds * 1000 <= MAX_RETRY_AFTER_MS ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  const wait = Math.max(0, date - now);
  return wait <= MAX_RETRY_AFTER_MS ? wait : undefined;
}
