import { REDACTED, redactKeyShapes } from "./key-shapes.js";

/**
 * The text with the given secrets (values the request itself carried) and every well-known key
 * shape replaced by REDACTED. `secrets` come from secretValues(): longest first, none short.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
  return redactKeyShapes(result);
}

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
