// Finds a contender's LLM span among the spans of one request, and the tokens it recorded,
// whichever attribute names its instrumentation uses.
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

const INPUT_KEYS = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "llm.usage.prompt_tokens"];
const OUTPUT_KEYS = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "llm.usage.completion_tokens"];
const HTTP_SCOPE = "@opentelemetry/instrumentation-undici";

export interface RequestCheck {
  /** LLM spans seen per request (spans other than the HTTP span): 1 for every request, or the counts seen. */
  llmSpansPerRequest: number[];
  /** Every LLM span carried the expected input and output tokens. */
  tokens: boolean;
}

function firstNumber(span: ReadableSpan, keys: string[]): number | undefined {
  for (const key of keys) {
    const value = span.attributes[key];
    if (typeof value === "number") return value;
  }
  return undefined;
}

/** Groups the ended spans by trace (one trace per request) and checks each trace's LLM span. */
export function checkRequests(spans: ReadableSpan[], requests: number, expected: { input: number; output: number }): RequestCheck {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const id = span.spanContext().traceId;
    byTrace.set(id, [...(byTrace.get(id) ?? []), span]);
  }
  const llmSpansPerRequest = [...byTrace.values()].map((list) => list.filter((s) => s.instrumentationScope.name !== HTTP_SCOPE).length);
  while (llmSpansPerRequest.length < requests) llmSpansPerRequest.push(0);
  const llm = spans.filter((s) => s.instrumentationScope.name !== HTTP_SCOPE);
  const tokens = llm.length > 0 && llm.every((s) => firstNumber(s, INPUT_KEYS) === expected.input && firstNumber(s, OUTPUT_KEYS) === expected.output);
  return { llmSpansPerRequest, tokens };
}
