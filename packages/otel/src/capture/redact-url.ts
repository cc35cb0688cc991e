// Credentials in URLs never reach a span. The llm_call span records no URL at all; redactUrlHook
// keeps them out of the undici HTTP span too (pass it as UndiciInstrumentation's startSpanHook).
import type { Attributes } from "@opentelemetry/api";
import { REDACTED, redactKeyShapes } from "../redaction/key-shapes.js";
import { secretValues } from "../redaction/redact-text.js";
import { mayHoldUrlSecret, redactUrl } from "../redaction/redact-url.js";
import { requestSecrets, type HeaderEntry } from "../redaction/request-secrets.js";

export { redactQuery, redactUrl } from "../redaction/redact-url.js";

const NOTHING: Attributes = Object.freeze({});

/** undici's request as its diagnostics channel gives it: headers as a flat [name, value, …] list, or raw lines. */
export interface UndiciRequest {
  origin: string;
  path: string;
  headers?: unknown;
}

function* headerPairs(headers: unknown): Iterable<HeaderEntry> {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name: unknown = headers[i];
      const value: unknown = headers[i + 1];
      if (typeof name === "string" && (typeof value === "string" || Array.isArray(value))) yield [name, value as string | string[]];
    }
  } else if (typeof headers === "string") {
    for (const line of headers.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) yield [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }
  }
}

/**
 * The request's path with the secrets its headers carry taken out: a gateway that takes the key in
 * the path (`/k/<key>/v1/chat/completions`) as well as in Authorization. The headers are walked
 * as undici holds them (a plain list, nothing sorted); most requests carry no secret header.
 */
function redactPathSecrets(request: UndiciRequest): string {
  let path = request.path;
  const secrets = requestSecrets("", headerPairs(request.headers));
  // By hand rather than redactText(path, list): a new list each request would empty the cache of
  // clean texts that redactText keeps for the process's known secrets.
  if (secrets.length > 0) for (const secret of secretValues(secrets)) if (path.includes(secret)) path = path.replaceAll(secret, REDACTED);
  return redactKeyShapes(path);
}

/**
 * startSpanHook for @opentelemetry/instrumentation-undici: overrides url.full, url.path and
 * url.query when they hold credentials (query values, userinfo, the request's own secrets in a
 * path segment, well-known key shapes).
 */
export function redactUrlHook(request: UndiciRequest): Attributes {
  let path = request.path;
  try {
    path = redactPathSecrets(request);
  } catch {
    // A request we cannot read keeps its query and userinfo rules below.
  }
  const full = request.origin + path;
  if (path === request.path && !mayHoldUrlSecret(full)) return NOTHING;
  let original: string;
  let parsed: URL;
  try {
    original = new URL(request.origin + request.path).href;
    parsed = new URL(full);
  } catch {
    return NOTHING;
  }
  const safe = mayHoldUrlSecret(full) ? redactUrl(parsed.href) : parsed.href;
  if (safe === original) return NOTHING;
  const query = safe.indexOf("?");
  return { "url.full": safe, "url.path": parsed.pathname, "url.query": query === -1 ? "" : safe.slice(query) };
}
