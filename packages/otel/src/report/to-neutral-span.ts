// Converts the SDK's finished spans to the analyzer's neutral Span model, so the in-process
// report runs the same engine as `pnpm analyze`.
import { SpanKind, SpanStatusCode, type Attributes as OtelAttributes, type HrTime } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import type { Attributes, AttributeValue, Span, SpanKindName, SpanStatusCode as StatusName } from "@jotty/engine";

const KIND: Record<number, SpanKindName> = {
  [SpanKind.INTERNAL]: "INTERNAL",
  [SpanKind.SERVER]: "SERVER",
  [SpanKind.CLIENT]: "CLIENT",
  [SpanKind.PRODUCER]: "PRODUCER",
  [SpanKind.CONSUMER]: "CONSUMER",
};

const STATUS: Record<number, StatusName> = {
  [SpanStatusCode.UNSET]: "UNSET",
  [SpanStatusCode.OK]: "OK",
  [SpanStatusCode.ERROR]: "ERROR",
};

export function hrTimeToNs(time: HrTime): number {
  return time[0] * 1e9 + time[1];
}

export function toNeutralAttributes(attributes: OtelAttributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    // Arrays with null entries are not in the neutral model; keep their defined items.
    out[key] = (Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined) : value) as AttributeValue;
  }
  return out;
}

// Spans of one resource share one converted attributes object, as the model asks.
const resources = new WeakMap<object, Attributes>();

function resourceAttributes(span: ReadableSpan): Attributes {
  const resource = span.resource;
  let converted = resources.get(resource);
  if (converted === undefined) {
    converted = toNeutralAttributes(resource.attributes);
    resources.set(resource, converted);
  }
  return converted;
}

export function toNeutralSpan(span: ReadableSpan): Span {
  const context = span.spanContext();
  const parentSpanId = span.parentSpanContext?.spanId;
  const out: Span = {
    traceId: context.traceId,
    spanId: context.spanId,
    name: span.name,
    kind: KIND[span.kind] ?? "UNSPECIFIED",
    startNs: hrTimeToNs(span.startTime),
    endNs: hrTimeToNs(span.endTime),
    status:
      span.status.message === undefined
        ? { code: STATUS[span.status.code] ?? "UNSET" }
        : { code: STATUS[span.status.code] ?? "UNSET", message: span.status.message },
    attributes: toNeutralAttributes(span.attributes),
    resource: resourceAttributes(span),
  };
  if (parentSpanId !== undefined) out.parentSpanId = parentSpanId;
  if (span.events.length > 0) {
    out.events = span.events.map((event) => ({
      name: event.name,
      timeNs: hrTimeToNs(event.time),
      attributes: toNeutralAttributes(event.attributes ?? {}),
    }));
  }
  return out;
}
