import { REDACTED, redactKeyShapes } from "./key-shapes.js";

/**
 * The text with the given secrets (values the request itself carried) and every well-known key
 * shape replaced by REDACTED. `secrets` come from secretValues(): longest first, none short.
 */
export function redactText(text: string, secrets: readonly string[] = NO_SECRETS): string {
  const short = text.length <= CLEAN_MAX_LENGTH;
  if (secrets !== cleanUnder) {
    cleanUnder = secrets;
    clean.clear();
  } else if (short && clean.has(text)) return text;
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
  result = redactKeyShapes(result);
  if (short && result === text) {
    if (clean.size >= CLEAN_MAX_ENTRIES) clean.clear();
    clean.add(text);
  }
  return result;
}

const NO_SECRETS: readonly string[] = [];

/**
 * Short texts found clean under one secrets list (the process's known secrets, nearly always the
 * same list object): span names and the model, provider, server and URL values repeat from span
 * to span, and a set lookup is cheaper than a search for each secret. A new list starts afresh.
 */
let cleanUnder: readonly string[] = NO_SECRETS;
const clean = new Set<string>();
const CLEAN_MAX_LENGTH = 256;
const CLEAN_MAX_ENTRIES = 2048;

/** Shorter values are not treated as secrets: redacting them would blank ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** The distinct values worth redacting, in the order redactText needs (longest first), with their URL-encoded forms. */
export function secretValues(values: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.length < MIN_SECRET_LENGTH) continue;
    found.add(trimmed);
    const encoded = encodeURIComponent(trimmed);
    if (encoded !== trimmed) found.add(encoded);
  }
  return [...found].sort((a, b) => b.length - a.length);
}
