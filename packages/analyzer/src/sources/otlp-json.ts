// OTLP JSON (ExportTraceServiceRequest / TracesData, as written by the Collector file exporter,
// the OTel JS JSON serializer and Jaeger's /api/v3) → the neutral Span model.
// This runs once per span on a million-span file, so it avoids closures and intermediate arrays.
import type { Attributes, AttributeValue, Span, SpanEvent, SpanKindName, SpanStatusCode } from "@jotty/engine";
import type { WarningLog } from "./warnings.js";

export type SpanSink = (span: Span) => void;
/** Describes where the current input is ("traces.jsonl line 12"); only called when warning. */
export type Locator = () => string;

// Inputs are untyped JSON; reading them through this keeps property access cheap and explicit.
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON read field by field; unknown would need a cast at every step
type Json = any;

const KIND_BY_NUMBER: SpanKindName[] = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
const STATUS_BY_NUMBER: SpanStatusCode[] = ["UNSET", "OK", "ERROR"];
const HEX_LOWER = /^[0-9a-f]+$/;
const HEX_ANY = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function spanKind(kind: unknown): SpanKindName {
  if (typeof kind === "number") return KIND_BY_NUMBER[kind] ?? "UNSPECIFIED";
  if (typeof kind === "string") {
    const name = (kind.startsWith("SPAN_KIND_") ? kind.slice(10) : kind).toUpperCase();
    if ((KIND_BY_NUMBER as string[]).includes(name)) return name as SpanKindName;
  }
  return "UNSPECIFIED";
}

export function statusCode(code: unknown): SpanStatusCode {
  if (typeof code === "number") return STATUS_BY_NUMBER[code] ?? "UNSET";
  if (typeof code === "string") {
    const name = (code.startsWith("STATUS_CODE_") ? code.slice(12) : code).toUpperCase();
    if (name === "OK" || name === "ERROR") return name;
  }
  return "UNSET";
}

/**
 * A trace or span id. OTLP JSON says hex, but the protobuf JSON mapping (used by some exporters)
 * writes bytes as base64: both become lowercase hex. Anything else is kept as an opaque string,
 * as Jaeger and Jaeger UI keep it ("trace-123"); only an empty or non-string id is unreadable.
 */
export function normalizeId(id: unknown, hexLength: 32 | 16): string | undefined {
  if (typeof id !== "string" || id.length === 0) return undefined;
  if (id.length === hexLength) {
    if (HEX_LOWER.test(id)) return id;
    if (HEX_ANY.test(id)) return id.toLowerCase();
  }
  if (id.length < hexLength && BASE64.test(id)) {
    const bytes = Buffer.from(id, "base64");
    if (bytes.length === hexLength / 2) return bytes.toString("hex");
  }
  return id;
}

const ALL_ZERO = /^0+$/;

/** All-zero ids are invalid in OTLP (W3C trace context): such spans are kept, with a warning. */
export function isAllZeroId(id: string): boolean {
  return ALL_ZERO.test(id);
}

// Date's range (±8.64e15 ms): a time outside it cannot be shown or put in a window.
const MAX_NS = 8.64e21;

/** A timestamp that is a real instant: finite, not before 1970, inside Date's range. */
export function isEpochNs(ns: number): boolean {
  return ns >= 0 && ns < MAX_NS;
}

/**
 * Whether a span has both times. proto3 JSON omits zero values, so a missing, null or zero time
 * means "never set": read as 1970 it would stretch a trace over 56 years.
 */
export function hasTimes(startNs: number, endNs: number): boolean {
  return startNs !== 0 && endNs !== 0;
}

/** Nanoseconds from a string, a number, or a protobufjs Long ({low, high}); NaN when unreadable. */
export function nanos(value: unknown): number {
  if (typeof value === "string") return value.length === 0 ? NaN : Number(value);
  if (typeof value === "number") return value;
  if (value === undefined || value === null) return 0; // proto3: an omitted field is zero (see hasTimes)
  if (typeof value === "object" && typeof (value as Json).low === "number") {
    return ((value as Json).high >>> 0) * 4294967296 + ((value as Json).low >>> 0);
  }
  return NaN;
}

// Span names repeat on every span of an operation, and JSON.parse makes a new string each time:
// keeping one instance of each saves memory when a million spans are retained. Bounded, so
// unbounded variety just stops being shared. (Attribute values are not interned: most are
// unique ids and hashes, and the lookups cost more than the memory they save.)
const interned = new Map<string, string>();
const INTERN_MAX_LENGTH = 64;
const INTERN_MAX_ENTRIES = 10_000;

export function intern(text: string): string {
  if (text.length > INTERN_MAX_LENGTH) return text;
  const found = interned.get(text);
  if (found !== undefined) return found;
  if (interned.size < INTERN_MAX_ENTRIES) interned.set(text, text);
  return text;
}

// Most spans have no status message; they share one frozen status object per code.
export const STATUS_ONLY: Record<SpanStatusCode, Span["status"]> = {
  UNSET: Object.freeze({ code: "UNSET" }),
  OK: Object.freeze({ code: "OK" }),
  ERROR: Object.freeze({ code: "ERROR" }),
};

function scalar(value: Json): string | number | boolean | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (value.stringValue !== undefined) return String(value.stringValue);
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.boolValue !== undefined) return value.boolValue === true || value.boolValue === "true";
  if (value.bytesValue !== undefined) return String(value.bytesValue);
  return undefined;
}

function arrayOf(values: Json): AttributeValue | undefined {
  if (!Array.isArray(values)) return [] as string[];
  const out: (string | number | boolean)[] = [];
  let kinds = 0; // bit set: 1 string, 2 number, 4 boolean
  for (const item of values) {
    const v = scalar(item);
    if (v === undefined) continue;
    kinds |= typeof v === "string" ? 1 : typeof v === "number" ? 2 : 4;
    out.push(v);
  }
  // The model keeps arrays homogeneous; mixed arrays become strings rather than being dropped.
  if (kinds === 1 || kinds === 2 || kinds === 4 || kinds === 0) return out as AttributeValue;
  return out.map(String);
}

/**
 * Adds OTLP KeyValue pairs to `out`. A kvlist value is flattened into dotted keys
 * (`key.sub`), the way the SDK flattens nested attributes, so it stays queryable.
 */
// Attribute keys arrive as JSON string *values*, so each is a fresh string that V8 must look up
// in its string table before using it as a property name. Spans of one kind list the same keys
// in the same order: reusing the previous span's key at the same position (an equality check,
// no hashing) skips most of those lookups.
const recentKeys: string[] = [];

/** kvlist levels flattened into dotted keys; deeper levels are dropped (a 6,000-deep value once overflowed the stack). */
export const MAX_ATTRIBUTE_DEPTH = 32;

/** Set by addAttributes when it dropped kvlist levels beyond MAX_ATTRIBUTE_DEPTH. */
export interface AttributeLimits {
  tooDeep: boolean;
}

export function addAttributes(keyValues: unknown, out: Attributes, limits?: AttributeLimits, prefix = "", depth = 0): Attributes {
  if (!Array.isArray(keyValues)) return out;
  if (depth >= MAX_ATTRIBUTE_DEPTH) {
    if (limits !== undefined) limits.tooDeep = true;
    return out;
  }
  for (let i = 0; i < keyValues.length; i++) {
    const kv: Json = keyValues[i];
    if (kv === null || typeof kv !== "object" || typeof kv.key !== "string") continue;
    let key: string = kv.key;
    if (prefix !== "") key = prefix + key;
    else if (i < 64) {
      const recent = recentKeys[i];
      if (recent === key) key = recent;
      else recentKeys[i] = key;
    }
    const value: Json = kv.value;
    if (value === null || typeof value !== "object") continue;
    // Value objects differ in shape, so each lookup is megamorphic: test the common kinds first.
    const text = value.stringValue;
    if (typeof text === "string") {
      out[key] = text;
      continue;
    }
    const int = value.intValue;
    if (int !== undefined) {
      out[key] = Number(int);
      continue;
    }
    const double = value.doubleValue;
    if (double !== undefined) {
      out[key] = Number(double);
      continue;
    }
    if (value.arrayValue !== undefined) {
      const array = arrayOf(value.arrayValue?.values);
      if (array !== undefined) out[key] = array;
    } else if (value.kvlistValue !== undefined) addAttributes(value.kvlistValue?.values, out, limits, key + ".", depth + 1);
    else {
      const v = scalar(value);
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

function eventsOf(raw: unknown, limits: AttributeLimits): SpanEvent[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const events: SpanEvent[] = [];
  for (const e of raw as Json[]) {
    if (e === null || typeof e !== "object") continue;
    events.push({
      name: typeof e.name === "string" ? e.name : "",
      timeNs: isEpochNs(nanos(e.timeUnixNano)) ? nanos(e.timeUnixNano) : 0,
      attributes: addAttributes(e.attributes, {}, limits),
    });
  }
  return events;
}

// Spans of one trace arrive together: reuse the previous span's trace id string (one instance
// per trace instead of one per span, and no re-validation).
let lastRawTraceId: unknown;
let lastTraceId: string | undefined;
// One object reused for every span (this runs a million times): reset before each.
const spanLimits: AttributeLimits = { tooDeep: false };

/** One OTLP span, or undefined (with a warning) when its ids or times cannot be read. */
export function convertOtlpSpan(raw: Json, resource: Attributes, warnings: WarningLog, where: Locator): Span | undefined {
  if (raw === null || typeof raw !== "object") {
    warnings.add("span that is not an object skipped", where());
    return undefined;
  }
  let traceId: string | undefined;
  if (raw.traceId === lastRawTraceId) traceId = lastTraceId;
  else {
    traceId = normalizeId(raw.traceId, 32);
    lastRawTraceId = raw.traceId;
    lastTraceId = traceId;
  }
  const spanId = normalizeId(raw.spanId, 16);
  if (traceId === undefined || spanId === undefined) {
    warnings.add("span without a traceId/spanId skipped", where());
    return undefined;
  }
  const startNs = nanos(raw.startTimeUnixNano);
  const endNs = nanos(raw.endTimeUnixNano);
  if (!isEpochNs(startNs) || !isEpochNs(endNs)) {
    warnings.add("span with unreadable start/end time skipped", where());
    return undefined;
  }
  if (!hasTimes(startNs, endNs)) {
    warnings.add("span without a start or end time skipped", where());
    return undefined;
  }
  if (isAllZeroId(traceId) || isAllZeroId(spanId)) warnings.add("span with an all-zero traceId/spanId (invalid in OTLP) read as it is", where());
  const parent = raw.parentSpanId;
  let parentSpanId: string | undefined;
  if (parent !== undefined && parent !== "" && parent !== null) {
    parentSpanId = normalizeId(parent, 16);
    if (parentSpanId === undefined) warnings.add("span with an unreadable parentSpanId read as a root", where());
    else if (isAllZeroId(parentSpanId)) parentSpanId = undefined;
  }
  const status: Json = raw.status;
  // parentSpanId stays present (possibly undefined) so every span has the same shape.
  const span: Span = {
    traceId,
    spanId,
    parentSpanId,
    name: typeof raw.name === "string" ? intern(raw.name) : String(raw.name ?? ""),
    kind: spanKind(raw.kind),
    startNs,
    endNs,
    status:
      status === null || typeof status !== "object"
        ? STATUS_ONLY.UNSET
        : typeof status.message === "string" && status.message !== ""
          ? { code: statusCode(status.code), message: status.message }
          : STATUS_ONLY[statusCode(status.code)],
    attributes: addAttributes(raw.attributes, {}, spanLimits),
    resource,
  };
  const events = eventsOf(raw.events, spanLimits);
  if (events !== undefined) span.events = events;
  if (spanLimits.tooDeep) {
    spanLimits.tooDeep = false;
    warnings.add(`attribute values nested over ${MAX_ATTRIBUTE_DEPTH} levels deep: deeper levels dropped`, where());
  }
  return span;
}

/**
 * Resources repeat on every line of a traces file; keeping one object per distinct resource
 * lets spans share it (as the model promises) and saves memory.
 */
export class ResourceCache {
  private readonly byKey = new Map<string, Attributes>();

  get(resource: Json): Attributes {
    const keyValues = resource !== null && typeof resource === "object" ? resource.attributes : undefined;
    if (!Array.isArray(keyValues) || keyValues.length === 0) return this.shared("", () => ({}));
    let key: string;
    try {
      key = JSON.stringify(keyValues);
    } catch {
      // Nested too deep to stringify: key on the flattened (depth-bounded) attributes instead.
      const attributes = addAttributes(keyValues, {});
      return this.shared(JSON.stringify(attributes), () => attributes);
    }
    return this.shared(key, () => addAttributes(keyValues, {}));
  }

  private shared(key: string, make: () => Attributes): Attributes {
    let found = this.byKey.get(key);
    if (found === undefined) {
      found = Object.freeze(make()) as Attributes;
      if (this.byKey.size > 10_000) this.byKey.clear(); // unbounded variety: stop sharing, never grow
      this.byKey.set(key, found);
    }
    return found;
  }
}

/** The resourceSpans array of an OTLP document, a Jaeger /api/v3 response ({result: …}), or undefined. */
export function resourceSpansOf(doc: Json): Json[] | undefined {
  if (doc === null || typeof doc !== "object") return undefined;
  if (Array.isArray(doc.resourceSpans)) return doc.resourceSpans;
  if (doc.result !== null && typeof doc.result === "object" && Array.isArray(doc.result.resourceSpans)) {
    return doc.result.resourceSpans;
  }
  return undefined;
}

/** Scope groups of one resourceSpans entry (`instrumentationLibrarySpans` is the pre-1.0 name). */
export function scopeSpansOf(resourceSpans: Json): Json[] {
  if (resourceSpans === null || typeof resourceSpans !== "object") return [];
  const scopes = resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans;
  return Array.isArray(scopes) ? scopes : [];
}

/** Converts every span of a parsed OTLP document into `sink`; returns how many were read. */
export function readOtlpDocument(resourceSpans: Json[], resources: ResourceCache, sink: SpanSink, warnings: WarningLog, where: Locator): number {
  let count = 0;
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    const resource = resources.get(rs?.resource);
    const scopes = scopeSpansOf(rs);
    for (let s = 0; s < scopes.length; s++) {
      const spans = scopes[s]?.spans;
      if (!Array.isArray(spans)) continue;
      for (let i = 0; i < spans.length; i++) {
        const span = convertOtlpSpan(spans[i], resource, warnings, where);
        if (span !== undefined) {
          sink(span);
          count++;
        }
      }
    }
  }
  return count;
}
