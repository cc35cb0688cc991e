// Cost of the redacting span processor start() installs: spans created, filled and ended on an
// SDK TracerProvider whose only other processor discards, with and without it, in paired rounds.
// One request secret is known, as after the first captured LLM call. Span kinds:
//  - a segment span (most spans) and an llm_call without content (the default): target ≤ 1.25 ×
//    the bare span (a few hundred ns added on an idle machine);
//  - a span of another instrumentation carrying 6 KB of prompt and completion text (our own
//    llm_call redacts its content once, as it ends, and the processor skips it): the time added
//    is compared with one JSON.parse of that text, which capturing it already pays at least once
//    (the key-shape scan is one regular-expression pass over the text). Target ≤ 5 ×.
// Run: pnpm bench redaction (builds first; imports the built dist/).
import { context, type Attributes, type Tracer } from "@opentelemetry/api";
import { TracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { median } from "./stats.ts";

const { RedactingSpanProcessor } = await import("../packages/otel/dist/redaction/redacting-span-processor.js");
const { rememberSecrets } = await import("../packages/otel/dist/redaction/known-secrets.js");

rememberSecrets(["sk-proj-bench0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"]);

class Discard implements SpanProcessor {
  ended = 0;
  onStart(): void {}
  onEnd(_span: ReadableSpan): void {
    this.ended++;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const tracerWith = (processors: SpanProcessor[]): Tracer => new TracerProvider({ spanProcessors: processors }).getTracer("bench");
const plain = tracerWith([new Discard()]);
const redacting = tracerWith([new Discard(), new RedactingSpanProcessor()]);

const message = "Plan the trip: three days in Lisbon, budget 900 EUR, museums and food. ".repeat(40);
const llmAttributes: Attributes = {
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4.1-nano",
  "gen_ai.request.stream": true,
  "server.address": "api.openai.com",
  "server.port": 443,
  "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: message }] }]),
  "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: message.slice(0, 2000) }] }]),
  "gen_ai.response.model": "gpt-4.1-nano-2025-04-14",
  "gen_ai.response.id": "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU",
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.usage.input_tokens": 812,
  "gen_ai.usage.output_tokens": 402,
  "gen_ai.usage.cost": 0.00024,
  "jotty.llm.prompt_hash": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
};
const root = context.active();

const { "gen_ai.input.messages": input, "gen_ai.output.messages": output, ...withoutContent } = llmAttributes;
const content = [input as string, output as string];

const kinds: Record<string, { make: (tracer: Tracer) => void; vsParse?: boolean }> = {
  "segment span": { make: (tracer) => tracer.startSpan("load-documents", { attributes: { "app.items": 3, "app.kind": "parse" } }, root).end() },
  "llm_call without content": { make: (tracer) => tracer.startSpan("llm_call", { attributes: withoutContent }, root).end() },
  "span with 6 KB of content": { make: (tracer) => tracer.startSpan("chat gpt-4.1-nano", { attributes: llmAttributes }, root).end(), vsParse: true },
};

const SPANS = 2_000;
const ROUNDS = 41;

function timeNs(fn: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < SPANS; i++) fn();
  return Number(process.hrtime.bigint() - start) / SPANS;
}

let failed = false;
for (const [kind, { make, vsParse }] of Object.entries(kinds)) {
  // Warm up both paths, then alternate them within each round so the machine's other work cancels.
  for (let i = 0; i < 5; i++) timeNs(() => make(plain)) + timeNs(() => make(redacting));
  const ratios: number[] = [];
  const base: number[] = [];
  const withRedaction: number[] = [];
  const parse: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a1 = timeNs(() => make(plain));
    const b1 = timeNs(() => make(redacting));
    const p = vsParse ? timeNs(() => content.map((text) => JSON.parse(text))) : 0;
    const b2 = timeNs(() => make(redacting));
    const a2 = timeNs(() => make(plain));
    base.push((a1 + a2) / 2);
    withRedaction.push((b1 + b2) / 2);
    parse.push(p);
    ratios.push(vsParse ? (b1 + b2 - a1 - a2) / (2 * p) : (b1 + b2) / (a1 + a2));
  }
  const ratio = median(ratios);
  const target = vsParse ? 5 : 1.25;
  const ok = ratio <= target;
  failed ||= !ok;
  const figures = `${median(withRedaction).toFixed(0)} vs ${median(base).toFixed(0)} ns per span`;
  const measure = vsParse ? `added / JSON.parse of the content (${median(parse).toFixed(0)} ns)` : "redacting / plain";
  console.log(`${kind}: ${figures}, ${measure} = ${ratio.toFixed(3)} (target ≤ ${target}): ${ok ? "ok" : "OVER TARGET"}`);
}
if (failed) process.exitCode = 1;
