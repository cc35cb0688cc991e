// Which header and query-parameter names carry credentials: one rule for both, compared without
// case, `-` or `_` (api_key, API-Key and apikey are one name).

/** Names that are credentials as they are. */
const EXACT = new Set([
  "key",
  "code",
  "sig",
  "auth",
  "pwd",
  "pass",
  "jwt",
  "assertion",
  "cookie",
  "setcookie",
  "session",
  "sessionid",
]);

/** Endings that make any name a credential (client_secret, X-Amz-Security-Token, Ocp-Apim-Subscription-Key...). */
const ENDINGS = [
  "token",
  "secret",
  "password",
  "passwd",
  "apikey",
  "signature",
  "credential",
  "credentials",
  "authorization",
  "subscriptionkey",
  "accesskey",
  "privatekey",
  "secretkey",
  "sessionkey",
  "clientassertion",
];

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, "");
}

/** Does a header or query parameter of this name carry a credential? `extra`: normalized names the user added. */
export function isSecretName(name: string, extra: ReadonlySet<string>): boolean {
  const normalized = normalizeName(name);
  if (EXACT.has(normalized) || extra.has(normalized)) return true;
  for (const ending of ENDINGS) if (normalized.endsWith(ending)) return true;
  return false;
}
