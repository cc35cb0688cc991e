// The request secrets of an llm_call, kept by span so the redacting span processor can apply
// them to everything on that span (attributes set by the app too), not only to what llm_call writes.
const secretsBySpan = new WeakMap<object, readonly string[]>();

export function rememberSpanSecrets(span: object, secrets: readonly string[]): void {
  secretsBySpan.set(span, secrets);
}

export function spanSecrets(span: object): readonly string[] {
  return secretsBySpan.get(span) ?? NONE;
}

const NONE: readonly string[] = Object.freeze([]);
