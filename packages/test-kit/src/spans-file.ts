// Reads a traces file written by @jotty/otel (JOTTY_TRACES_FILE: OTLP/JSON, one export per line)
// into flat spans with plain attribute values, for the tests that run a real Node process.
import { readFileSync } from "node:fs";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}

export interface FileSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

function plain(value: OtlpValue): unknown {
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plain);
  return value.stringValue ?? value.boolValue ?? value.doubleValue;
}

export function readSpansFile(file: string): FileSpan[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => (JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans)
    .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
    .map((s) => {
      const span: FileSpan = { spanId: s.spanId, name: s.name, attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, plain(a.value)])) };
      if (s.parentSpanId !== undefined) span.parentSpanId = s.parentSpanId;
      return span;
    });
}
