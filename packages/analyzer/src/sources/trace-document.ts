// The visitor that reads a whole trace document while it streams past: an OTLP document,
// a Jaeger /api/v3 response ({result: {resourceSpans}}), or a Jaeger UI download ({data: [...]}).
import type { Attributes } from "@jotty/engine";
import type { JsonVisitor, PathKey } from "./json-scanner.js";
import { readJaegerUiTrace } from "./jaeger-ui-json.js";
import { convertOtlpSpan, readOtlpDocument, ResourceCache, type Locator, type SpanSink } from "./otlp-json.js";
import type { WarningLog } from "./warnings.js";

export type DocumentFormat = "otlp-json" | "jaeger-api-v3" | "jaeger-ui-json";

const SPAN_GROUPS = new Set(["scopeSpans", "instrumentationLibrarySpans"]);

export class TraceDocumentVisitor implements JsonVisitor {
  format: DocumentFormat | undefined;
  spans = 0;
  private readonly resources = new ResourceCache();
  // OTLP: spans that came before their resource (key order is not guaranteed) wait here.
  private resource: Attributes | undefined;
  private pending: unknown[] = [];
  // Jaeger UI: processes usually follow the spans, so a trace is converted when it ends.
  private jaegerTrace: { traceID?: unknown; spans: unknown[]; processes?: unknown } = { spans: [] };

  constructor(
    private readonly sink: SpanSink,
    private readonly warnings: WarningLog,
    private readonly where: Locator,
  ) {}

  want(path: readonly PathKey[]): boolean | "small" {
    const p = path[0] === "result" ? path.slice(1) : path;
    if (p[0] === "resourceSpans") {
      this.format ??= path[0] === "result" ? "jaeger-api-v3" : "otlp-json";
      // One resource's spans (Jaeger: one trace) in one JSON.parse; a large one span by span.
      if (p.length === 2) return "small";
      if (p.length === 3) return p[2] === "resource";
      return p.length === 6 && SPAN_GROUPS.has(p[2] as string) && p[4] === "spans";
    }
    const base = jaegerBase(p);
    if (base < 0) return false;
    if (p.length === base + 1 && (p[base] === "processes" || p[base] === "traceID")) return true;
    if (p.length === base + 2 && p[base] === "spans") {
      this.format ??= "jaeger-ui-json";
      return true;
    }
    return false;
  }

  value(path: readonly PathKey[], value: unknown): void {
    const p = path[0] === "result" ? path.slice(1) : path;
    if (p[0] === "resourceSpans") {
      if (p.length === 2) {
        readOtlpDocument([value], this.resources, this.counted, this.warnings, this.where);
        return;
      }
      if (p.length === 3) {
        this.resource = this.resources.get(value);
        for (const span of this.pending) this.convertOtlp(span, this.resource);
        this.pending = [];
      } else if (this.resource !== undefined) this.convertOtlp(value, this.resource);
      else this.pending.push(value);
      return;
    }
    const base = jaegerBase(p);
    if (p[base] === "spans") this.jaegerTrace.spans.push(value);
    else if (p[base] === "processes") this.jaegerTrace.processes = value;
    else this.jaegerTrace.traceID = value;
  }

  end(path: readonly PathKey[]): void {
    const p = path[0] === "result" ? path.slice(1) : path;
    if (p[0] === "resourceSpans" && p.length === 2) {
      const resource = this.resource ?? this.resources.get(undefined);
      for (const span of this.pending) this.convertOtlp(span, resource);
      this.pending = [];
      this.resource = undefined;
      return;
    }
    const base = jaegerBase(p);
    if (base >= 0 && p.length === base && this.jaegerTrace.spans.length > 0) {
      this.spans += readJaegerUiTrace(this.jaegerTrace, this.sink, this.warnings, this.where);
      this.jaegerTrace = { spans: [] };
    }
  }

  private readonly counted: SpanSink = (span) => {
    this.spans++;
    this.sink(span);
  };

  private convertOtlp(raw: unknown, resource: Attributes): void {
    const span = convertOtlpSpan(raw, resource, this.warnings, this.where);
    if (span !== undefined) {
      this.sink(span);
      this.spans++;
    }
  }
}

/** Path length of a Jaeger UI trace object: {data: [trace]} → 2, [trace] → 1, trace → 0; -1 if none. */
function jaegerBase(p: readonly PathKey[]): number {
  if (p[0] === "data") return p.length >= 2 && typeof p[1] === "number" ? 2 : -1;
  if (typeof p[0] === "number") return 1;
  return 0;
}
