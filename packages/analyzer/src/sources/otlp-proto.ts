// OTLP protobuf TracesData (opentelemetry/proto/trace/v1/trace.proto; what Jaeger's api_v3
// gRPC FindTraces streams) → the neutral Span model, read in place from the bytes: no message
// objects in between. Gives the same spans, warnings and attribute values as the OTLP JSON
// reader (otlp-json.ts) does for the same data, so a report does not depend on the wire.
import type { Attributes, Span, SpanEvent } from "@jotty/engine";
import {
  hasTimes,
  intern,
  isAllZeroId,
  isEpochNs,
  MAX_ATTRIBUTE_DEPTH,
  spanKind,
  STATUS_ONLY,
  statusCode,
  type AttributeLimits,
  type Locator,
  type SpanSink,
} from "./otlp-json.js";
import { addKeyValue } from "./otlp-proto-attributes.js";
import { ProtoReader, WireType } from "./protobuf-wire.js";
import type { WarningLog } from "./warnings.js";

/** An Event: {fixed64 time_unix_nano = 1, name = 2, repeated KeyValue attributes = 3}. */
function eventAt(r: ProtoReader, end: number, limits: AttributeLimits): SpanEvent {
  let name = "";
  let timeNs = 0;
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Fixed64)) timeNs = r.fixed64();
    else if (tag === ((2 << 3) | WireType.Length)) name = r.string();
    else if (tag === ((3 << 3) | WireType.Length)) addKeyValue(r, r.lengthEnd(), attributes, limits, "", 0);
    else r.skip(tag & 7);
  }
  return { name, timeNs: isEpochNs(timeNs) ? timeNs : 0, attributes };
}

/** A Status: {message = 2, code = 3}. */
function statusAt(r: ProtoReader, end: number): Span["status"] {
  let message = "";
  let code = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | WireType.Length)) message = r.string();
    else if (tag === ((3 << 3) | WireType.Varint)) code = r.uint32();
    else r.skip(tag & 7);
  }
  const name = statusCode(code);
  return message !== "" ? { code: name, message } : STATUS_ONLY[name];
}

// A flat string (concatenating per byte would leave a rope for every id the engine hashes).
function hexOf(buf: Buffer, start: number, end: number): string {
  return buf.toString("hex", start, end);
}

/** Reads the OTLP protobuf messages of one gRPC answer (or file) into spans. */
export class OtlpProtoReader {
  private readonly resources = new Map<string, Attributes>();
  private readonly limits: AttributeLimits = { tooDeep: false };
  // Spans of one trace arrive together: they share the previous span's trace id string.
  private lastTraceBytes = Buffer.alloc(16);
  private lastTraceLength = -1;
  private lastTraceId = "";

  constructor(
    private readonly warnings: WarningLog,
    private readonly sink: SpanSink,
  ) {}

  /** Every span of a TracesData message ({repeated ResourceSpans resource_spans = 1}); returns how many were read. */
  tracesData(buf: Buffer, where: Locator): number {
    const r = new ProtoReader(buf, 0, buf.length);
    let count = 0;
    while (r.more()) {
      const tag = r.uint32();
      if (tag === ((1 << 3) | WireType.Length)) {
        const end = r.lengthEnd();
        count += this.resourceSpans(r, end, where);
        r.pos = end;
      } else r.skip(tag & 7);
    }
    return count;
  }

  /** ResourceSpans: {Resource resource = 1, repeated ScopeSpans scope_spans = 2}. */
  private resourceSpans(r: ProtoReader, end: number, where: Locator): number {
    let resourceStart = 0;
    let resourceEnd = 0;
    const scopes: number[] = [];
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === ((1 << 3) | WireType.Length)) {
        resourceEnd = r.lengthEnd();
        resourceStart = r.pos;
        r.pos = resourceEnd;
      } else if (tag === ((2 << 3) | WireType.Length)) {
        const scopeEnd = r.lengthEnd();
        scopes.push(r.pos, scopeEnd);
        r.pos = scopeEnd;
      } else r.skip(tag & 7);
    }
    const resource = this.resource(r, resourceStart, resourceEnd);
    let count = 0;
    for (let i = 0; i < scopes.length; i += 2) {
      r.pos = scopes[i]!;
      count += this.scopeSpans(r, scopes[i + 1]!, resource, where);
    }
    return count;
  }

  /** One object per distinct resource, keyed by its bytes; spans share it. */
  private resource(r: ProtoReader, start: number, end: number): Attributes {
    const key = r.buf.toString("latin1", start, end);
    let found = this.resources.get(key);
    if (found === undefined) {
      const attributes: Attributes = {};
      r.pos = start;
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag === ((1 << 3) | WireType.Length)) addKeyValue(r, r.lengthEnd(), attributes, this.limits, "", 0);
        else r.skip(tag & 7);
      }
      this.limits.tooDeep = false;
      found = Object.freeze(attributes) as Attributes;
      if (this.resources.size > 10_000) this.resources.clear(); // unbounded variety: stop sharing, never grow
      this.resources.set(key, found);
    }
    return found;
  }

  /** ScopeSpans: {InstrumentationScope scope = 1, repeated Span spans = 2}. */
  private scopeSpans(r: ProtoReader, end: number, resource: Attributes, where: Locator): number {
    let count = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === ((2 << 3) | WireType.Length)) {
        const spanEnd = r.lengthEnd();
        const span = this.span(r, spanEnd, resource, where);
        r.pos = spanEnd;
        if (span !== undefined) {
          this.sink(span);
          count++;
        }
      } else r.skip(tag & 7);
    }
    return count;
  }

  private traceIdAt(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === this.lastTraceLength) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (buf[start + i] !== this.lastTraceBytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastTraceId;
    }
    this.lastTraceId = hexOf(buf, start, end);
    if (length <= 16) {
      buf.copy(this.lastTraceBytes, 0, start, end);
      this.lastTraceLength = length;
    } else this.lastTraceLength = -1;
    return this.lastTraceId;
  }

  /** One Span message, or undefined (with the JSON reader's warning) when its ids or times cannot be read. */
  private span(r: ProtoReader, end: number, resource: Attributes, where: Locator): Span | undefined {
    const buf = r.buf;
    let traceId: string | undefined;
    let spanId: string | undefined;
    let parentSpanId: string | undefined;
    let name = "";
    let kind = 0;
    let startNs = 0;
    let endNs = 0;
    let status = STATUS_ONLY.UNSET;
    const attributes: Attributes = {};
    let events: SpanEvent[] | undefined;
    const limits = this.limits;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case (1 << 3) | WireType.Length: {
          const idEnd = r.lengthEnd();
          traceId = idEnd > r.pos ? this.traceIdAt(buf, r.pos, idEnd) : undefined;
          r.pos = idEnd;
          break;
        }
        case (2 << 3) | WireType.Length: {
          const idEnd = r.lengthEnd();
          spanId = idEnd > r.pos ? hexOf(buf, r.pos, idEnd) : undefined;
          r.pos = idEnd;
          break;
        }
        case (4 << 3) | WireType.Length: {
          const idEnd = r.lengthEnd();
          parentSpanId = idEnd > r.pos ? hexOf(buf, r.pos, idEnd) : undefined;
          r.pos = idEnd;
          break;
        }
        case (5 << 3) | WireType.Length:
          name = intern(r.string());
          break;
        case (6 << 3) | WireType.Varint:
          kind = r.uint32();
          break;
        case (7 << 3) | WireType.Fixed64:
          startNs = r.fixed64();
          break;
        case (8 << 3) | WireType.Fixed64:
          endNs = r.fixed64();
          break;
        case (9 << 3) | WireType.Length:
          addKeyValue(r, r.lengthEnd(), attributes, limits, "", 0);
          break;
        case (11 << 3) | WireType.Length: {
          const eventEnd = r.lengthEnd();
          (events ??= []).push(eventAt(r, eventEnd, limits));
          r.pos = eventEnd;
          break;
        }
        case (15 << 3) | WireType.Length: {
          const statusEnd = r.lengthEnd();
          status = statusAt(r, statusEnd);
          r.pos = statusEnd;
          break;
        }
        default:
          r.skip(tag & 7);
      }
    }
    if (traceId === undefined || spanId === undefined) {
      limits.tooDeep = false;
      this.warnings.add("span without a traceId/spanId skipped", where());
      return undefined;
    }
    // fixed64 times are never negative; above Date's range they cannot be shown.
    if (!isEpochNs(startNs) || !isEpochNs(endNs)) {
      limits.tooDeep = false;
      this.warnings.add("span with unreadable start/end time skipped", where());
      return undefined;
    }
    if (!hasTimes(startNs, endNs)) {
      limits.tooDeep = false;
      this.warnings.add("span without a start or end time skipped", where());
      return undefined;
    }
    if (isAllZeroId(traceId) || isAllZeroId(spanId)) this.warnings.add("span with an all-zero traceId/spanId (invalid in OTLP) read as it is", where());
    if (parentSpanId !== undefined && isAllZeroId(parentSpanId)) parentSpanId = undefined;
    // parentSpanId stays present (possibly undefined) so every span has the same shape.
    const span: Span = { traceId, spanId, parentSpanId, name, kind: spanKind(kind), startNs, endNs, status, attributes, resource };
    if (events !== undefined) span.events = events;
    if (limits.tooDeep) {
      limits.tooDeep = false;
      this.warnings.add(`attribute values nested over ${MAX_ATTRIBUTE_DEPTH} levels deep: deeper levels dropped`, where());
    }
    return span;
  }
}
