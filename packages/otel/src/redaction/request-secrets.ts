// The credentials one HTTP request carries: values of secret headers (Authorization, x-api-key,
// api-key, x-goog-api-key, the user's names), of secret query parameters (key=, token=...) and
// the URL's userinfo. The llm_call of that request redacts them from everything it records.
import { isSecretName } from "./secret-names.js";
import { redactionSettings } from "./settings.js";

/** `Bearer abc` → abc too, so an error quoting only the token is covered. */
const AUTH_SCHEME = /^\s*[A-Za-z][A-Za-z0-9-]*\s+(\S+)\s*$/;

/** A header as node:http and Headers both give it: a name and one or more values. */
export type HeaderEntry = readonly [name: string, value: string | number | readonly string[] | undefined];

/** Walks the headers: the values of those whose names carry secrets go to `out`. */
function headerSecrets(headers: Iterable<HeaderEntry>, extra: ReadonlySet<string>, out: string[]): void {
  for (const [name, raw] of headers) {
    if (raw === undefined || !isSecretName(name, extra)) continue;
    const cookie = isCookieHeader(name);
    for (const value of typeof raw === "object" ? raw : [String(raw)]) {
      out.push(value);
      // `a=1; session=VALUE`: an error may quote VALUE alone, without its name.
      if (cookie) cookieValues(value, out);
      const token = AUTH_SCHEME.exec(value)?.[1];
      if (token === undefined) continue;
      out.push(token);
      // Basic credentials: the password may be quoted back on its own.
      if (/^basic\s/i.test(value)) out.push(...basicCredentials(token));
    }
  }
}

function isCookieHeader(name: string): boolean {
  return name.length === 6 && name.toLowerCase() === "cookie";
}

function cookieValues(header: string, out: string[]): void {
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
    out.push(value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
  }
}

function basicCredentials(token: string): string[] {
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? [] : [decoded, decoded.slice(colon + 1)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function urlSecrets(url: string, extra: ReadonlySet<string>, out: string[]): void {
  // Most LLM URLs have neither userinfo nor a query: nothing to parse.
  if (!url.includes("@") && !url.includes("?")) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  // The user name too: fetch's TypeError quotes the whole URL, `user:password@` included.
  if (parsed.username !== "") out.push(safeDecode(parsed.username));
  if (parsed.password !== "") out.push(safeDecode(parsed.password));
  parsed.searchParams.forEach((value, name) => {
    if (isSecretName(name, extra)) out.push(value);
  });
}

/** The URL's secrets, then those `addHeaders` finds with the user's extra header names. Never throws. */
function collect(url: string, addHeaders: (extra: ReadonlySet<string>, out: string[]) => void): string[] {
  const out: string[] = [];
  try {
    // Read once per request: it checks the environment for the user's extra names.
    const settings = redactionSettings();
    urlSecrets(url, settings.queryParams, out);
    addHeaders(settings.headers, out);
  } catch {
    // A request we cannot read leaves only the key shapes to redact.
  }
  return out;
}

/**
 * The secret values in a request's URL and headers, for any transport (node:http gives
 * Object.entries(request.getHeaders())). Never throws.
 */
export function requestSecrets(url: string, ...headerLists: Iterable<HeaderEntry>[]): string[] {
  return collect(url, (extra, out) => {
    for (const headers of headerLists) headerSecrets(headers, extra, out);
  });
}

/** fetch()'s headers init as name/value pairs, without copying them into a new Headers (this runs per LLM request). */
function headerEntries(init: ConstructorParameters<typeof Headers>[0]): Iterable<HeaderEntry> | undefined {
  if (init === undefined || init === null) return undefined;
  // Headers, an array of pairs, or any other iterable of pairs, as new Headers() accepts them.
  if (Symbol.iterator in init) return init as Iterable<HeaderEntry>;
  if (typeof init === "object") return Object.entries(init as Record<string, string>);
  return undefined;
}

/**
 * The secret values in a fetch() call's URL and headers (the Request's and init's). Never throws.
 * Every header is looked at on every request, so a secret under a name first sent on the 100th
 * request is known from that request on. The walk is cheap: it runs after fetch() has built its
 * Request, which sorted the Headers object once and kept the sorted list, and isSecretName
 * answers repeated names from a map.
 */
export function fetchRequestSecrets(url: string, input: unknown, init: RequestInit | undefined): string[] {
  const lists: Iterable<HeaderEntry>[] = [];
  if (input instanceof Request) lists.push(input.headers);
  const headers = headerEntries(init?.headers);
  if (headers !== undefined) lists.push(headers);
  return requestSecrets(url, ...lists);
}
