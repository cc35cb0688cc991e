// The spans redacted whole just before they ended (an llm_call, with its request's secrets):
// the redacting span processor skips them instead of scanning them a second time.
const redacted = new WeakSet<object>();

export function markRedacted(span: object): void {
  redacted.add(span);
}

export function isRedacted(span: object): boolean {
  return redacted.has(span);
}
