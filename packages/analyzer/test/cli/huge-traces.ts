// Million-span trace files for the memory-bound tests, streamed to disk line by line (never held
// whole): OTLP JSON lines of 1,000 spans each, as the Collector's file exporter batches them.
import { once } from "node:events";
import { createWriteStream } from "node:fs";

const BASE_NS = 1_764_100_800_000_000_000n; // 2025-11-25T20:00:00Z
const SPANS_PER_LINE = 1000;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

export interface HugeSpan {
  trace: number;
  span: number;
  parent: number; // 0: a root
  name: string;
  startUs: number;
  endUs: number;
}

function spanJson(s: HugeSpan): string {
  const start = BASE_NS + BigInt(s.startUs) * 1000n;
  const end = BASE_NS + BigInt(s.endUs) * 1000n;
  const parent = s.parent === 0 ? "" : hex(s.parent, 16);
  return `{"traceId":"${hex(s.trace, 32)}","spanId":"${hex(s.span, 16)}","parentSpanId":"${parent}","name":"${s.name}","kind":1,"startTimeUnixNano":"${start}","endTimeUnixNano":"${end}","attributes":[],"status":{}}`;
}

const line = (spans: string[]) =>
  `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agent"}}]},"scopeSpans":[{"scope":{"name":"huge"},"spans":[${spans.join(",")}]}]}]}\n`;

/** Writes the spans as OTLP JSON lines to `path`, respecting backpressure. */
export async function writeSpans(path: string, spans: Iterable<HugeSpan>): Promise<void> {
  const out = createWriteStream(path);
  let batch: string[] = [];
  const flush = async () => {
    if (!out.write(line(batch))) await once(out, "drain");
    batch = [];
  };
  for (const s of spans) {
    batch.push(spanJson(s));
    if (batch.length === SPANS_PER_LINE) await flush();
  }
  if (batch.length > 0) await flush();
  out.end();
  await once(out, "finish");
}

/** `count` traces of one 5 ms span each, one after another every 10 µs. */
export function* oneSpanTraces(count: number): Generator<HugeSpan> {
  for (let i = 1; i <= count; i++) yield { trace: i, span: 1, parent: 0, name: "work", startUs: i * 10, endUs: i * 10 + 5000 };
}

/**
 * One trace: a root of `wallMs` and `children` 1 ms spans under it spread over its time, written
 * children first and the root last, as a batch exporter writes a long trace (a span is exported
 * when it ends).
 */
export function* oneGiantTrace(children: number, wallMs: number): Generator<HugeSpan> {
  const stepUs = ((wallMs - 1) * 1000) / children;
  for (let i = 0; i < children; i++) {
    const startUs = Math.floor(i * stepUs);
    yield { trace: 1, span: i + 2, parent: 1, name: "work", startUs, endUs: startUs + 1000 };
  }
  yield { trace: 1, span: 1, parent: 0, name: "agent run", startUs: 0, endUs: wallMs * 1000 };
}
