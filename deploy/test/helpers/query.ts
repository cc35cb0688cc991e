// Reads what the stack stored: Jaeger's /api/v3 and Prometheus' query API, polled with a deadline.

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number | string;
  attributes: Record<string, string | number | boolean>;
  serviceName: string;
  resourceAttributes: Record<string, string | number | boolean>;
  durationMs: number;
  /** OTLP status code: 2 (or "STATUS_CODE_ERROR") for an error. */
  statusCode: number | string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number | string;
  attributes?: OtlpKeyValue[];
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  status?: { code?: number | string };
}
export interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}
interface TracesResponse {
  result?: OtlpTraces;
}

/** Jaeger's JSON gateway may write ids as hex or base64; always hex here. */
function hexId(id: string | undefined): string {
  if (!id) return "";
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 16 || id.length === 32)) return id.toLowerCase();
  return Buffer.from(id, "base64").toString("hex");
}

function attributeValue(v: OtlpValue): string | number | boolean {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return JSON.stringify(v);
}

function attributes(list: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, attributeValue(kv.value)]));
}

export function spansOf(body: TracesResponse): StoredSpan[] {
  return spansOfOtlp(body.result ?? {});
}

/** Nanosecond timestamps as strings lose precision as Numbers; their difference does not. */
function durationMs(start: string | undefined, end: string | undefined): number {
  if (!start || !end) return 0;
  return Number(BigInt(end) - BigInt(start)) / 1e6;
}

export function spansOfOtlp(traces: OtlpTraces): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (const rs of traces.resourceSpans ?? []) {
    const resourceAttributes = attributes(rs.resource?.attributes);
    const serviceName = String(resourceAttributes["service.name"] ?? "");
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
          name: s.name,
          kind: s.kind,
          attributes: attributes(s.attributes),
          serviceName,
          resourceAttributes,
          durationMs: durationMs(s.startTimeUnixNano, s.endTimeUnixNano),
          statusCode: s.status?.code ?? 0,
        });
      }
    }
  }
  return spans;
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function poll<T>(what: string | (() => string), deadlineMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${typeof what === "string" ? what : what()}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The trace's spans once Jaeger holds at least `minSpans` of them. */
export function jaegerTrace(jaegerUrl: string, traceId: string, minSpans: number, deadlineMs = 30_000): Promise<StoredSpan[]> {
  return poll(`trace ${traceId} in Jaeger`, deadlineMs, async () => {
    const response = await fetch(`${jaegerUrl}/api/v3/traces/${traceId}`);
    if (!response.ok) return undefined;
    const spans = spansOf((await response.json()) as TracesResponse);
    return spans.length >= minSpans ? spans : undefined;
  });
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** An instant query, at `time` (Unix seconds) when given, else now. */
export async function promQuery(prometheusUrl: string, query: string, time?: number): Promise<PromSample[]> {
  const at = time === undefined ? "" : `&time=${time}`;
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}${at}`);
  const body = (await response.json()) as { status: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
  if (body.status !== "success") throw new Error(`Prometheus query ${query}: ${body.error ?? response.status}`);
  return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Polls a PromQL query until its single series has the expected value. */
export function promValue(prometheusUrl: string, query: string, expected: number, deadlineMs = 30_000): Promise<PromSample> {
  let seen: PromSample[] = [];
  return poll(
    () => `${query} == ${expected} in Prometheus (last: ${JSON.stringify(seen)})`,
    deadlineMs,
    async () => {
      seen = await promQuery(prometheusUrl, query);
      return seen.length === 1 && Math.abs(seen[0]!.value - expected) < 1e-6 ? seen[0] : undefined;
    },
  );
}
