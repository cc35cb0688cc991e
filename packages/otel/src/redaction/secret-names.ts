// Which header and query-parameter names carry credentials: one rule for both, compared without
// case, `-` or `_` (api_key, API-Key and apikey are one name).

/** Names that are credentials as they are. */
const EXACT = new Set(["key", "code", "sig", "auth", "pwd", "pass", "jwt", "assertion", "cookie", "setcookie", "session", "sessionid"]);

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

function matchesRule(normalized: string, extra: ReadonlySet<string>): boolean {
  if (EXACT.has(normalized) || extra.has(normalized)) return true;
  for (const ending of ENDINGS) if (normalized.endsWith(ending)) return true;
  return false;
}

// Every LLM request asks about the same dozen header names: the answers are kept per set of the
// user's extra names (a new set when those change), bounded should names come from anywhere.
const MAX_CACHED_NAMES = 512;
const answers = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();

/** Does a header or query parameter of this name carry a credential? `extra`: normalized names the user added. */
export function isSecretName(name: string, extra: ReadonlySet<string>): boolean {
  let known = answers.get(extra);
  if (known === undefined) answers.set(extra, (known = new Map()));
  let answer = known.get(name);
  if (answer === undefined) {
    answer = matchesRule(normalizeName(name), extra);
    if (known.size >= MAX_CACHED_NAMES) known.clear();
    known.set(name, answer);
  }
  return answer;
}
