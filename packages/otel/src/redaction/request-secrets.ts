// The credentials one HTTP request carries: values of secret headers (Authorization, x-api-key,
// api-key, x-goog-api-key, the user's names), of secret query parameters (key=, token=...) and
// the URL's userinfo. The llm_call of that request redacts them from everything it records.
import { isSecretName } from "./secret-names.js";
import { redactionSettings } from "./settings.js";

/** `Bearer abc` → abc too, so an error quoting only the token is covered. */
const AUTH_SCHEME = /^\s*[A-Za-z][A-Za-z0-9-]*\s+(\S+)\s*$/;

function headerSecrets(headers: Headers, out: string[]): void {
  const extra = redactionSettings().headers;
  headers.forEach((value, name) => {
    if (!isSecretName(name, extra)) return;
    out.push(value);
    const token = AUTH_SCHEME.exec(value)?.[1];
    if (token !== undefined) {
      out.push(token);
      // Basic credentials: the password may be quoted back on its own.
      if (/^basic\s/i.test(value)) out.push(...basicCredentials(token));
    }
  });
}

function basicCredentials(token: string): string[] {
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? [] : [decoded, decoded.slice(colon + 1)];
}

function urlSecrets(url: string, out: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.password !== "") out.push(decodeURIComponent(parsed.password));
  const extra = redactionSettings().queryParams;
  parsed.searchParams.forEach((value, name) => {
    if (isSecretName(name, extra)) out.push(value);
  });
}

function headersOf(init: ConstructorParameters<typeof Headers>[0]): Headers | undefined {
  if (init === undefined) return undefined;
  try {
    return new Headers(init);
  } catch {
    return undefined;
  }
}

/** The secret values in a fetch() call's URL and headers (the Request's and init's). Never throws. */
export function fetchRequestSecrets(url: string, input: unknown, init: RequestInit | undefined): string[] {
  const out: string[] = [];
  try {
    urlSecrets(url, out);
    if (input instanceof Request) headerSecrets(input.headers, out);
    const headers = headersOf(init?.headers);
    if (headers !== undefined) headerSecrets(headers, out);
  } catch {
    // A request we cannot read leaves only the key shapes to redact.
  }
  return out;
}
