// One copy of the few strings that repeat on every span (span names, services, providers,
// models): JSON.parse makes a new string for each occurrence, and a pending window of 100,000
// LLM spans would otherwise hold 400,000 copies of a handful of names.

/** Distinct strings kept at most; past it strings are used as they come (still correct, just not shared). */
const MAX_INTERNED = 4096;
/** Longer strings are rarely repeated names: not worth a lookup. */
const MAX_LENGTH = 128;

const interned = new Map<string, string>();

export function intern(text: string): string {
  if (text.length > MAX_LENGTH) return text;
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size < MAX_INTERNED) interned.set(text, text);
  return text;
}
