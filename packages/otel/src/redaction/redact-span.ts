// Redacts a span in place: its name, attributes, events, links and status message. Runs once per
// span as it ends (never per chunk); a span with nothing to redact is only read.
import type { Attributes, AttributeValue, Link, SpanStatus } from "@opentelemetry/api";
import type { TimedEvent } from "@opentelemetry/sdk-trace";
import { MIN_SECRET_LENGTH, redactText } from "./redact-text.js";
import { mayHoldUrlSecret, redactQuery, redactUrl } from "./redact-url.js";

/** The fields of the SDK's span object (ReadableSpan, writable) that carry text. */
interface SpanFields {
  name: string;
  attributes: Attributes;
  events: TimedEvent[];
  links: Link[];
  status: SpanStatus;
}

/** Attributes holding a whole URL, a query string, or a path with its query (old HTTP conventions). */
const URL_ATTRIBUTES = new Set(["url.full", "http.url", "url.original"]);
const QUERY_ATTRIBUTES = new Set(["url.query"]);
const TARGET_ATTRIBUTES = new Set(["http.target", "url.path_and_query"]);

function redactUrlAttribute(key: string, text: string): string {
  if (URL_ATTRIBUTES.has(key)) return mayHoldUrlSecret(text) ? redactUrl(text) : text;
  if (QUERY_ATTRIBUTES.has(key)) return text.includes("=") ? redactQuery(text) : text;
  if (TARGET_ATTRIBUTES.has(key)) {
    const query = text.indexOf("?");
    return query === -1 ? text : text.slice(0, query) + redactQuery(text.slice(query));
  }
  return text;
}

/** No secret (8 characters at least) and no key shape fits in fewer characters. */
const SHORTEST = MIN_SECRET_LENGTH;

function redactValue(key: string, value: AttributeValue | undefined, secrets: readonly string[]): AttributeValue | undefined {
  if (typeof value === "string") return value.length < SHORTEST ? value : redactUrlAttribute(key, redactText(value, secrets));
  if (!Array.isArray(value)) return value;
  let items: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== "string" || item.length < SHORTEST) continue;
    const redacted = redactText(item, secrets);
    if (redacted !== item) (items ??= [...value])[i] = redacted;
  }
  return items === undefined ? value : (items as AttributeValue);
}

/** Redacts the attributes object in place. */
export function redactAttributes(attributes: Attributes | undefined, secrets: readonly string[]): void {
  if (attributes === undefined) return;
  for (const key in attributes) {
    const value = attributes[key];
    const redacted = redactValue(key, value, secrets);
    if (redacted !== value) attributes[key] = redacted;
  }
}

function isSpanFields(span: object): span is SpanFields {
  const fields = span as Partial<SpanFields>;
  return typeof fields.attributes === "object" && Array.isArray(fields.events) && typeof fields.status === "object";
}

/** Redacts an SDK span (a ReadableSpan, or a recording SDK Span) in place; other spans are left alone. */
export function redactSpan(span: object, secrets: readonly string[]): void {
  if (!isSpanFields(span)) return;
  const name = redactText(span.name, secrets);
  if (name !== span.name) span.name = name;
  redactAttributes(span.attributes, secrets);
  for (const event of span.events) {
    const eventName = redactText(event.name, secrets);
    if (eventName !== event.name) (event as { name: string }).name = eventName;
    redactAttributes(event.attributes, secrets);
  }
  for (const link of span.links) redactAttributes(link.attributes, secrets);
  const message = span.status.message;
  if (message !== undefined) {
    const redacted = redactText(message, secrets);
    if (redacted !== message) span.status = { ...span.status, message: redacted };
  }
}
