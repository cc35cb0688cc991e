// The spans redacted whole just before they ended (an llm_call, with its request's secrets):
// the redacting span processor skips them instead of scanning them a second time. The mark is a
// property of the span object itself: a WeakSet of every such span would cost a hash-table entry
// and garbage-collector work per LLM call.
const REDACTED = Symbol.for("@jotty/otel.redacted");

type Markable = { [REDACTED]?: true };

export function markRedacted(span: object): void {
  (span as Markable)[REDACTED] = true;
}

export function isRedacted(span: object): boolean {
  return (span as Markable)[REDACTED] === true;
}
