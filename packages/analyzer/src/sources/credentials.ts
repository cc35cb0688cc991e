// Credentials given in a query API's URL (http://user:password@jaeger:16686): sent as Basic auth,
// as curl does, and never printed. Header values from --header / *_HEADERS are never printed either.

/** The URL as given, with any user:password@ removed, for messages and the report. */
export function withoutCredentials(url: string): string {
  // The authority's userinfo ends at its last "@" (one in a password is %40); text only, so the
  // rest of the URL keeps the user's spelling (no trailing slash added, as URL.href would).
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1");
}

/** An Authorization header from the URL's user:password, or none. */
export function basicAuthorization(url: URL): Record<string, string> {
  if (url.username === "" && url.password === "") return {};
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}
