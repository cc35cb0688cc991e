// Credentials in URLs (Gemini's `?key=`, OAuth codes and secrets, signed-URL signatures,
// user:password@) replaced by REDACTED; the parameter names follow secret-names.ts plus
// JOTTY_REDACT_QUERY_PARAMS / start({ redact: { queryParams } }).
import { REDACTED } from "./key-shapes.js";
import { isSecretName } from "./secret-names.js";
import { redactionSettings } from "./settings.js";

/** The URL with credential-bearing query values and userinfo replaced by REDACTED (the very string when it has none). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const search = parsed.search === "" ? "" : redactQuery(parsed.search);
  if (parsed.username === "" && parsed.password === "" && search === parsed.search) return url;
  if (parsed.username !== "") parsed.username = REDACTED;
  if (parsed.password !== "") parsed.password = REDACTED;
  parsed.search = search;
  return parsed.href;
}

/** Replaces credential values in a `?a=b&c=d` query string; keeps everything else as sent. */
export function redactQuery(search: string): string {
  const extra = redactionSettings().queryParams;
  const body = search.startsWith("?") ? search.slice(1) : search;
  const redacted = body
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq === -1) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replaceAll("+", " "));
      } catch {
        name = pair.slice(0, eq);
      }
      return isSecretName(name, extra) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join("&");
  return (search.startsWith("?") ? "?" : "") + redacted;
}

/** Does the URL carry a credential in its query or userinfo? Cheap enough for every request. */
export function mayHoldUrlSecret(url: string): boolean {
  return url.includes("?") || url.includes("@");
}
