// The JSON Jaeger UI downloads ("Download JSON" / the legacy /api/traces shape):
// {data: [{traceID, spans: [{spanID, references, startTime µs, duration µs, tags, logs, processID}], processes}]}
import type { Attributes, AttributeValue, Span, SpanEvent, SpanStatusCode } from "@jotty/engine";
import { hasTimes, isAllZeroId, isEpochNs, spanKind, type Locator, type SpanSink } from "./otlp-json.js";
import type { WarningLog } from "./warnings.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON read field by field; unknown would need a cast at every step
type Json = any;

// Tags Jaeger's OTLP translator adds to carry OTLP fields; they map to Span fields instead.
const STRUCTURAL_TAGS = new Set([
  "span.kind",
  "otel.status_code",
  "otel.status_description",
  "otel.scope.name",
  "otel.scope.version",
  "internal.span.format",
  "w3c.tracestate",
]);

/** Jaeger writes hex ids without leading zeros: they are padded. Other strings are opaque ids. */
function paddedHex(id: unknown, length: 32 | 16): string | undefined {
  if (typeof id !== "string" || id.length === 0) return undefined;
  if (id.length > length || !/^[0-9a-fA-F]+$/.test(id)) return id;
  return id.toLowerCase().padStart(length, "0");
}

/** A non-scalar tag value as JSON text; undefined when nested too deep to stringify. */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function tagValue(tag: Json): AttributeValue | undefined {
  const v = tag.value;
  switch (tag.type) {
    case "bool":
    case "BOOL":
      return v === true || v === "true";
    case "int64":
    case "INT64":
    case "float64":
    case "FLOAT64":
      return typeof v === "number" ? v : Number(v);
    default:
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
      return v === undefined || v === null ? undefined : jsonText(v);
  }
}

function tagsToAttributes(tags: unknown, out: Attributes, skipStructural: boolean): Attributes {
  if (!Array.isArray(tags)) return out;
  for (const tag of tags as Json[]) {
    if (tag === null || typeof tag !== "object" || typeof tag.key !== "string") continue;
    if (skipStructural && STRUCTURAL_TAGS.has(tag.key)) continue;
    const value = tagValue(tag);
    if (value !== undefined) out[tag.key] = value;
  }
  return out;
}

function findTag(tags: unknown, key: string): Json {
  if (!Array.isArray(tags)) return undefined;
  return (tags as Json[]).find((t) => t !== null && typeof t === "object" && t.key === key);
}

function statusOf(tags: unknown): Span["status"] {
  const code = findTag(tags, "otel.status_code")?.value;
  const message = findTag(tags, "otel.status_description")?.value;
  let status: SpanStatusCode = code === "ERROR" ? "ERROR" : code === "OK" ? "OK" : "UNSET";
  const error = findTag(tags, "error");
  if (status === "UNSET" && error !== undefined && (error.value === true || error.value === "true")) status = "ERROR";
  return typeof message === "string" && message !== "" ? { code: status, message } : { code: status };
}

function parentOf(span: Json, traceId: string): string | undefined {
  if (typeof span.parentSpanID === "string" && span.parentSpanID !== "") return paddedHex(span.parentSpanID, 16);
  const refs: Json[] = Array.isArray(span.references) ? span.references : [];
  const sameTrace = (r: Json) => r !== null && typeof r === "object" && paddedHex(r.traceID, 32) === traceId;
  const ref = refs.find((r) => sameTrace(r) && r.refType === "CHILD_OF") ?? refs.find(sameTrace);
  return ref === undefined ? undefined : paddedHex(ref.spanID, 16);
}

function eventsOf(logs: unknown): SpanEvent[] | undefined {
  if (!Array.isArray(logs) || logs.length === 0) return undefined;
  return (logs as Json[])
    .filter((l) => l !== null && typeof l === "object")
    .map((l) => {
      const attributes = tagsToAttributes(l.fields, {}, false);
      const name = typeof attributes.event === "string" ? attributes.event : "";
      delete attributes.event;
      const timeNs = Number(l.timestamp) * 1000;
      return { name, timeNs: isEpochNs(timeNs) ? timeNs : 0, attributes };
    });
}

function processResource(process: Json): Attributes {
  const resource: Attributes = {};
  if (process === null || typeof process !== "object") return resource;
  if (typeof process.serviceName === "string") resource["service.name"] = process.serviceName;
  return Object.freeze(tagsToAttributes(process.tags, resource, false)) as Attributes;
}

/** Converts one Jaeger UI trace object ({traceID, spans, processes}); returns spans read. */
export function readJaegerUiTrace(trace: Json, sink: SpanSink, warnings: WarningLog, where: Locator): number {
  if (trace === null || typeof trace !== "object" || !Array.isArray(trace.spans)) {
    warnings.add("Jaeger trace without a spans array skipped", where());
    return 0;
  }
  const resources = new Map<string, Attributes>();
  const processes: Json = trace.processes ?? {};
  const resourceFor = (span: Json): Attributes => {
    if (span.process !== undefined) return processResource(span.process);
    const id = String(span.processID ?? "");
    let found = resources.get(id);
    if (found === undefined) {
      found = processResource(processes[id]);
      resources.set(id, found);
    }
    return found;
  };
  let count = 0;
  for (const raw of trace.spans as Json[]) {
    if (raw === null || typeof raw !== "object") {
      warnings.add("span that is not an object skipped", where());
      continue;
    }
    const traceId = paddedHex(raw.traceID ?? trace.traceID, 32);
    const spanId = paddedHex(raw.spanID, 16);
    if (traceId === undefined || spanId === undefined) {
      warnings.add("span without a traceID/spanID skipped", where());
      continue;
    }
    const startUs = Number(raw.startTime);
    const durationUs = Number(raw.duration ?? 0);
    if (!isEpochNs(startUs * 1000) || !isEpochNs((startUs + durationUs) * 1000)) {
      warnings.add("span with unreadable startTime/duration skipped", where());
      continue;
    }
    if (!hasTimes(startUs, startUs + durationUs)) {
      warnings.add("span without a start or end time skipped", where());
      continue;
    }
    if (isAllZeroId(traceId) || isAllZeroId(spanId)) warnings.add("span with an all-zero traceID/spanID (invalid in OTLP) read as it is", where());
    const span: Span = {
      traceId,
      spanId,
      parentSpanId: parentOf(raw, traceId),
      name: typeof raw.operationName === "string" ? raw.operationName : String(raw.operationName ?? ""),
      kind: spanKind(findTag(raw.tags, "span.kind")?.value ?? "UNSPECIFIED"),
      startNs: startUs * 1000,
      endNs: (startUs + durationUs) * 1000,
      status: statusOf(raw.tags),
      attributes: tagsToAttributes(raw.tags, {}, true),
      resource: resourceFor(raw),
    };
    if (span.status.code === "ERROR" && span.attributes.error === true) delete span.attributes.error;
    const events = eventsOf(raw.logs);
    if (events !== undefined) span.events = events;
    sink(span);
    count++;
  }
  return count;
}

/** The traces of a Jaeger UI document: {data: [...]}, a bare array, or one trace object. */
export function jaegerUiTracesOf(doc: Json): Json[] | undefined {
  if (Array.isArray(doc)) return doc.length > 0 && Array.isArray(doc[0]?.spans) ? doc : undefined;
  if (doc === null || typeof doc !== "object") return undefined;
  if (Array.isArray(doc.data)) return doc.data;
  if (Array.isArray(doc.spans) && (doc.traceID !== undefined || doc.processes !== undefined)) return [doc];
  return undefined;
}
