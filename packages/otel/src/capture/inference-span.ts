// Is the active span already another instrumentation's record of an LLM call? The SDKs' own spans
// (@anthropic-ai/sdk's `anthropic.messages.create`, AI SDK 7's `chat <model>` via @ai-sdk/otel)
// and the contrib/OpenLLMetry GenAI spans carry gen_ai.operation.name; the AI SDK 5/6 names its
// provider calls `ai.<fn>.doGenerate` / `.doStream`; OpenInference marks LLM spans by kind,
// Langfuse by observation type. Only SDK spans expose their name and attributes, so this reads
// them as ReadableSpan does (a span without them is not taken for an inference span).
import type { Span } from "@opentelemetry/api";
import { LLM_OPERATIONS, LLM_SPAN_NAME } from "@jotty/engine/semconv";

interface Readable {
  name?: unknown;
  attributes?: Record<string, unknown>;
}

const AI_SDK_PROVIDER_CALL = /^ai\.[A-Za-z]+\.do(?:Generate|Stream)$/;
const OPENINFERENCE_KINDS: ReadonlySet<unknown> = new Set(["LLM", "EMBEDDING"]);

export function isInferenceSpan(span: Span | undefined): boolean {
  if (span === undefined || !span.isRecording()) return false;
  const { name, attributes = {} } = span as unknown as Readable;
  if (name === LLM_SPAN_NAME) return false;
  if (typeof name === "string" && AI_SDK_PROVIDER_CALL.test(name)) return true;
  const operation = attributes["gen_ai.operation.name"];
  return (
    (typeof operation === "string" && LLM_OPERATIONS.has(operation)) ||
    OPENINFERENCE_KINDS.has(attributes["openinference.span.kind"]) ||
    attributes["llm.request.type"] !== undefined ||
    attributes["langfuse.observation.type"] === "generation"
  );
}
