// Credentials in URLs (Gemini's `?key=`, signed-URL signatures, user:password@) never reach a
// span. The llm_call span records no URL at all; redactUrlHook keeps them out of the undici
// HTTP span too (pass it as UndiciInstrumentation's startSpanHook).
import type { Attributes } from "@opentelemetry/api";

const SECRET_PARAM = /^(key|api[-_]?key|access[-_]?token|token|auth|sig|signature|x-goog-signature|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;
const REDACTED = "REDACTED";

/** The URL with credential-bearing query values and userinfo replaced by REDACTED. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== "") parsed.username = REDACTED;
  if (parsed.password !== "") parsed.password = REDACTED;
  if (parsed.search !== "") parsed.search = redactQuery(parsed.search);
  return parsed.href;
}

/** Replaces credential values in a `?a=b&c=d` query string; keeps everything else as sent. */
export function redactQuery(search: string): string {
  const body = search.startsWith("?") ? search.slice(1) : search;
  const redacted = body
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq === -1) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq));
      } catch {
        name = pair.slice(0, eq);
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join("&");
  return (search.startsWith("?") ? "?" : "") + redacted;
}

const NOTHING: Attributes = Object.freeze({});

/** Does the URL carry a credential in its query or userinfo? Cheap enough for every request. */
function mayHoldSecret(url: string): boolean {
  return url.includes("?") || url.includes("@");
}

/** startSpanHook for @opentelemetry/instrumentation-undici: overrides url.full / url.query when they hold credentials. */
export function redactUrlHook(request: { origin: string; path: string }): Attributes {
  const full = request.origin + request.path;
  if (!mayHoldSecret(full)) return NOTHING;
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
