// The request secrets of an llm_call, kept by span so the redacting span processor can apply
// them to everything on that span (attributes set by the app too), not only to what llm_call
// writes; and the spans already redacted whole as they ended, which the processor skips.
const secretsBySpan = new WeakMap<object, readonly string[]>();

export function rememberSpanSecrets(span: object, secrets: readonly string[]): void {
  secretsBySpan.set(span, secrets);
}

export function spanSecrets(span: object): readonly string[] {
  return secretsBySpan.get(span) ?? NONE;
}

const NONE: readonly string[] = Object.freeze([]);

const redacted = new WeakSet<object>();

/** The span was redacted whole just before it ended (an llm_call): the processor need not do it again. */
export function markRedacted(span: object): void {
  redacted.add(span);
}

export function isRedacted(span: object): boolean {
  return redacted.has(span);
}
