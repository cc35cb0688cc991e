// Well-known credential shapes, redacted wherever they appear in telemetry text. Hand-written
// rather than taken from a scanner such as secretlint: those are async, file-oriented and bring
// a dozen packages into every app, while this runs once per span on short strings.

/** Characters of a key's body (OpenAI project keys carry `-` and `_`). */
const BODY = "[A-Za-z0-9_-]";
/** How providers mask a key they quote back: `sk-abc12****wxyz`, `sk-proj-...sQoA`, `sk-svcac…JtAA`. */
const MASK = "(?:\\*{3,}|\\.{3}|…)";

/** Prefixes of provider keys: OpenAI (sk-, sk-proj-, sk-ant- for Anthropic), Google (AIza), xAI, Groq, Hugging Face, GitHub. */
const PREFIXES = ["sk-", "AIza", "xai-", "gsk_", "hf_", "ghp_", "gho_", "ghu_", "ghs_", "github_pat_"];

const prefixed = PREFIXES.map((prefix) => `${prefix}(?:${BODY}{16,}|${BODY}*${MASK}${BODY}*)`).join("|");

/**
 * Where a key may start: not inside a word of letters and digits, but after `_` (OPENAI_KEY_sk-…),
 * after a URL escape (`%22sk-…`, `%3DAIza…`) or a JSON/JS escape (`\nsk-…`, `\u0022sk-…`). A
 * `\b` missed all of those; a key glued to letters (`tasksk-…`) stays unmatched, so prose such as
 * "risk-free-…" is never cut in half.
 */
const START = "(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\[nrt])|(?<=\\\\u[0-9A-Fa-f]{4}))";

const SHAPES = [
  `${START}(?:${prefixed})`,
  // AWS access key ids (long-term AKIA, temporary ASIA): 20 upper-case letters and digits.
  `${START}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
  // JSON Web Tokens (header.payload.signature, base64url): distinctive enough to match anywhere.
  "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*",
  // Any word with a masked middle: a provider quoting back part of a key it was sent. Starts only
  // where a word starts (the lookbehind), so a long word is not rescanned from each of its letters.
  `(?<!${BODY})${BODY}{2,}\\*{4,}${BODY}{2,}`,
].join("|");

const KEY_SHAPE = new RegExp(SHAPES, "g");
/** `Bearer <token>` (the token has a digit, so prose such as "bearer authentication" stays). */
const BEARER = /\b([Bb]earer|BEARER)(\s+)(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{8,}=*/g;
/** Something every shape above starts with or contains: most text has none and is not scanned further. */
const TRIGGER = new RegExp(`${PREFIXES.join("|")}|AKIA|ASIA|eyJ|\\*{3}|\\.{3}|…|earer|EARER`);

export const REDACTED = "REDACTED";

/**
 * Short strings known to hold no key shape. Span names and attribute values repeat from span to
 * span (model, provider, server, operation names): a set lookup is cheaper than the scan.
 */
const clean = new Set<string>();
const CLEAN_MAX_LENGTH = 128;
const CLEAN_MAX_ENTRIES = 2048;

/** The text with every well-known key shape and bearer token replaced by REDACTED. */
export function redactKeyShapes(text: string): string {
  const short = text.length <= CLEAN_MAX_LENGTH;
  if (short && clean.has(text)) return text;
  if (!TRIGGER.test(text)) {
    if (short) {
      if (clean.size >= CLEAN_MAX_ENTRIES) clean.clear();
      clean.add(text);
    }
    return text;
  }
  return text.replace(BEARER, `$1$2${REDACTED}`).replace(KEY_SHAPE, REDACTED);
}
