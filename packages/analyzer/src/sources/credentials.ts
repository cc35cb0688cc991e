// Credentials given in a query API's URL (http://user:password@jaeger:16686): sent as Basic auth,
// as curl does, and never printed. Header values from --header / *_HEADERS are never printed either.

/** The URL with any user:password removed, for messages and the report. */
export function withoutCredentials(url: string): string {
  const parsed = URL.parse(url);
  if (parsed === null || (parsed.username === "" && parsed.password === "")) return url;
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

/** An Authorization header from the URL's user:password, or none. */
export function basicAuthorization(url: URL): Record<string, string> {
  if (url.username === "" && url.password === "") return {};
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}
