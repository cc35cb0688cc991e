// Attributes the capture computed itself (token counts, hashes, sizes, names) written straight
// into the SDK span's attributes. Span.setAttribute validates every value with a fresh WeakSet
// and deep-copies arrays, about 1 µs an attribute on a cold call, and an llm_call carries 20 to
// 30 of them. These values are plain strings, finite numbers, booleans and arrays built for the
// call and never touched again, so that work guards against nothing here. Whatever the fast path
// cannot match exactly (not an SDK span, a value length limit, the attribute count limit) goes
// through setAttribute. The redaction at the span's end reads the same attributes object.
import type { AttributeValue, Span } from "@opentelemetry/api";

export type OwnAttributes = Record<string, string | number | boolean | string[] | number[] | undefined>;

/** The fields of sdk-trace's Span this writes (the redaction reads `attributes` the same way). */
interface SdkSpanFields {
  attributes: Record<string, AttributeValue>;
  _attributesCount: number;
  _ended: boolean;
  _spanLimits: { attributeCountLimit?: number; attributeValueLengthLimit?: number };
}

function isWritableSdkSpan(span: object): span is SdkSpanFields {
  const fields = span as Partial<SdkSpanFields>;
  if (typeof fields._attributesCount !== "number" || fields._ended !== false) return false;
  if (typeof fields.attributes !== "object" || fields.attributes === null) return false;
  const limits = fields._spanLimits;
  if (typeof limits !== "object" || limits === null) return false;
  // A value length limit truncates strings: the SDK's own path applies it.
  return limits.attributeValueLengthLimit === undefined || limits.attributeValueLengthLimit === Infinity;
}

function isPlainValue(value: unknown): boolean {
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean";
}

function isOwnValue(value: unknown): value is AttributeValue {
  if (!Array.isArray(value)) return isPlainValue(value);
  for (const item of value) if (!isPlainValue(item)) return false;
  return true;
}

/** Sets `attributes` on `span` (undefined values skipped), as span.setAttributes would. */
export function setOwnAttributes(span: Span, attributes: OwnAttributes): void {
  if (!isWritableSdkSpan(span)) {
    span.setAttributes(attributes);
    return;
  }
  const target = span.attributes;
  const limit = span._spanLimits.attributeCountLimit ?? Infinity;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const isNew = !Object.hasOwn(target, key);
    if (key.length === 0 || !isOwnValue(value) || (isNew && span._attributesCount >= limit)) {
      // The SDK's answer for these (a warning, a drop counted).
      (span as unknown as Span).setAttribute(key, value as AttributeValue);
      continue;
    }
    // A copy of an array, as the SDK keeps one (the caller's array stays the caller's).
    target[key] = Array.isArray(value) ? (value.slice() as AttributeValue) : value;
    if (isNew) span._attributesCount++;
  }
}
