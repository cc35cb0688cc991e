// OTLP JSON lines built span by span, for CLI tests with exactly known structure.
export interface TestSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Record<string, string | number>;
}

const BASE_NS = 1_764_100_800_000_000_000n; // 2025-11-25T20:00:00Z

export const tid = (n: number) => n.toString(16).padStart(32, "0");
export const sid = (n: number) => n.toString(16).padStart(16, "0");

export function otlpLine(spans: TestSpan[], service = "agent"): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? "",
              name: s.name,
              kind: 1,
              startTimeUnixNano: String(BASE_NS + BigInt(Math.round(s.startMs * 1e6))),
              endTimeUnixNano: String(BASE_NS + BigInt(Math.round(s.endMs * 1e6))),
              attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({
                key,
                value: typeof v === "number" ? (Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }) : { stringValue: v },
              })),
              status: {},
            })),
          },
        ],
      },
    ],
  });
}

export const WINDOW = { since: "2025-11-25T19:59:00Z", until: "2025-11-25T21:00:00Z" };
