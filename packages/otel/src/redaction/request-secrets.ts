// The credentials one HTTP request carries: values of secret headers (Authorization, x-api-key,
// api-key, x-goog-api-key, the user's names), of secret query parameters (key=, token=...) and
// the URL's userinfo. The llm_call of that request redacts them from everything it records.
import { isSecretName } from "./secret-names.js";
import { redactionSettings } from "./settings.js";

/** `Bearer abc` → abc too, so an error quoting only the token is covered. */
const AUTH_SCHEME = /^\s*[A-Za-z][A-Za-z0-9-]*\s+(\S+)\s*$/;

/** A header as node:http and Headers both give it: a name and one or more values. */
export type HeaderEntry = readonly [name: string, value: string | number | readonly string[] | undefined];

/** Walks the headers; the names of those that carry secrets go to `names` when given. */
function headerSecrets(headers: Iterable<HeaderEntry>, extra: ReadonlySet<string>, out: string[], names?: string[]): void {
  for (const [name, raw] of headers) {
    if (raw === undefined || !isSecretName(name, extra)) continue;
    if (names !== undefined && !names.includes(name)) names.push(name);
    for (const value of typeof raw === "object" ? raw : [String(raw)]) {
      out.push(value);
      const token = AUTH_SCHEME.exec(value)?.[1];
      if (token === undefined) continue;
      out.push(token);
      // Basic credentials: the password may be quoted back on its own.
      if (/^basic\s/i.test(value)) out.push(...basicCredentials(token));
    }
  }
}

function basicCredentials(token: string): string[] {
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? [] : [decoded, decoded.slice(colon + 1)];
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
  if (parsed.password !== "") out.push(decodeURIComponent(parsed.password));
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
 * `thorough` false: headers given as a Headers object may be answered from the last walk of one
 * (see headersSecrets).
 */
export function fetchRequestSecrets(url: string, input: unknown, init: RequestInit | undefined, thorough = true): string[] {
  const given = init?.headers;
  if (!thorough && given instanceof Headers && !(input instanceof Request)) {
    return collect(url, (extra, out) => out.push(...headersSecrets(given, extra)));
  }
  const lists: Iterable<HeaderEntry>[] = [];
  if (input instanceof Request) lists.push(input.headers);
  const headers = headerEntries(init?.headers);
  if (headers !== undefined) lists.push(headers);
  return requestSecrets(url, ...lists);
}

// Walking a Headers object sorts it first: the openai and anthropic clients build one per request,
// and the walk is ~6 µs warm and tens of µs cold, on every LLM call. Clients send the same
// credentials call after call, so the values under the names that carried them (and the usual
// credential names) are looked up directly first: unchanged, the last walk's answer stands.
// Every REWALK_EVERY-th request is walked anyway, so a secret under a name not seen before is
// learned; a call that records error or content text always walks its own headers (thorough).
const USUAL_NAMES = ["authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie"];
const REWALK_EVERY = 32;
let lastWalk: { extra: ReadonlySet<string>; names: string[]; values: string; secrets: readonly string[]; answered: number } | undefined;

function valuesUnder(headers: Headers, names: readonly string[]): string {
  let values = "";
  for (const name of names) values += `${headers.get(name)}\n`;
  return values;
}

/** The secrets of a Headers object, possibly from the last walk (the list is shared: read it only). */
function headersSecrets(headers: Headers, extra: ReadonlySet<string>): readonly string[] {
  const last = lastWalk;
  if (last !== undefined && last.extra === extra && last.answered < REWALK_EVERY && valuesUnder(headers, last.names) === last.values) {
    last.answered++;
    return last.secrets;
  }
  const secrets: string[] = [];
  const names = [...USUAL_NAMES];
  headerSecrets(headers, extra, secrets, names);
  lastWalk = { extra, names, values: valuesUnder(headers, names), secrets, answered: 0 };
  return secrets;
}
