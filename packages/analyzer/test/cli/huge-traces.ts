// Writes a million-span traces file as the Collector's file exporter batches it (OTLP JSON lines
// of 1,000 spans), streamed to disk: the test process never holds more than one line.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export const MILLION = 1_000_000;
const SPANS_PER_LINE = 1000;
const START_NS = 1_764_100_800_000_000_000n; // 2025-11-25T20:00:00Z

export interface HugeSpan {
  trace: number;
  span: number;
  /** 0: a root. */
  parent: number;
  startUs: number;
  endUs: number;
  /** An LLM call (gpt-4o, 100 input and 20 output tokens) or a plain span. */
  llm: boolean;
}

/** One gpt-4o call's usage: $0.00045 at the catalog's $2.50 / $10 per million tokens. */
export const CALL = { inputTokens: 100, outputTokens: 20 } as const;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const LLM_ATTRIBUTES =
  `[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},` +
  `{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"${CALL.inputTokens}"}},` +
  `{"key":"gen_ai.usage.output_tokens","value":{"intValue":"${CALL.outputTokens}"}}]`;

function spanJson(s: HugeSpan): string {
  return (
    `{"traceId":"${hex(s.trace, 32)}","spanId":"${hex(s.span, 16)}","parentSpanId":"${s.parent === 0 ? "" : hex(s.parent, 16)}",` +
    `"name":"${s.llm ? "chat gpt-4o" : "agent run"}","kind":${s.llm ? 3 : 1},` +
    `"startTimeUnixNano":"${START_NS + BigInt(s.startUs) * 1000n}","endTimeUnixNano":"${START_NS + BigInt(s.endUs) * 1000n}",` +
    `"attributes":${s.llm ? LLM_ATTRIBUTES : "[]"},"status":{}}`
  );
}

const line = (spans: string[]) =>
  `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agent"}}]},"scopeSpans":[{"scope":{"name":"huge"},"spans":[${spans.join(",")}]}]}]}\n`;

export async function writeTracesFile(path: string, spans: Iterable<HugeSpan>): Promise<void> {
  const out = createWriteStream(path);
  const failed = once(out, "error").then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  let batch: string[] = [];
  const write = async () => {
    if (!out.write(line(batch))) await Promise.race([once(out, "drain"), failed]);
    batch = [];
  };
  for (const s of spans) {
    batch.push(spanJson(s));
    if (batch.length === SPANS_PER_LINE) await write();
  }
  if (batch.length > 0) await write();
  out.end();
  await Promise.race([once(out, "finish"), failed]);
}

/** Trace i (1…1,000,000): one 5 ms LLM call starting i × 10 µs after the first. */
export function* oneSpanTraces(): Generator<HugeSpan> {
  for (let i = 1; i <= MILLION; i++) yield { trace: i, span: 1, parent: 0, startUs: i * 10, endUs: i * 10 + 5000, llm: true };
}

/** One trace: 999,999 LLM calls of 1 ms spread over a 1,000 s root, the root last (as a batch exporter writes it, on its end). */
export function* giantTrace(): Generator<HugeSpan> {
  const children = MILLION - 1;
  for (let i = 0; i < children; i++) {
    const startUs = Math.floor((i * 999_000_000) / children);
    yield { trace: 1, span: i + 2, parent: 1, startUs, endUs: startUs + 1000, llm: true };
  }
  yield { trace: 1, span: 1, parent: 0, startUs: 0, endUs: 1_000_000_000, llm: false };
}
