// The neutral span model: every source (Jaeger, Prometheus, files, the in-process profiler)
// converts into this, and the engine reads nothing else.

export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];
export type Attributes = Record<string, AttributeValue>;

export type SpanKindName = "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER" | "UNSPECIFIED";
export type SpanStatusCode = "UNSET" | "OK" | "ERROR";

export interface SpanEvent {
  name: string;
  timeNs: number;
  attributes: Attributes;
}

export interface Span {
  traceId: string; // 32 lowercase hex
  spanId: string; // 16 lowercase hex
  parentSpanId?: string; // absent for a root
  name: string;
  kind: SpanKindName;
  // Unix epoch nanoseconds as a double: ~256 ns resolution at today's dates, ample for
  // profiling, and much cheaper than bigint when a report reads a million spans.
  startNs: number;
  endNs: number;
  status: { code: SpanStatusCode; message?: string };
  attributes: Attributes;
  /** Resource attributes (service.name and friends). Spans of one resource share the object. */
  resource: Attributes;
  events?: SpanEvent[];
}
