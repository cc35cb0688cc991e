// Mastra's observability spans (mastra.span.type), as @mastra/otel-bridge and @mastra/otel-exporter
// write them. An agent run's model_generation span (the bridge names it `chat <model>`) may carry
// the run's usage summed over its requests: a roll-up (see rollups.ts). Each request is a
// model_step span with a model_inference child timing the provider call. The exporter writes the
// request's usage on the inference span; the bridge writes none on either, only the provider's
// raw response in the step's mastra.metadata.body (generate(), not stream()), whose usage object
// is the request's own. Provider ids are the AI SDK's `<provider>.<api>` (openai.responses).

import type { Attributes, Span } from "../../model.js";
import { str } from "./attrs.js";
import { genAiUsage } from "./gen-ai.js";
import { langfuseUsage } from "./langfuse-usage.js";
import { providerOf } from "./model-provider.js";
import { llmInfo, Role, type Reading } from "./reading.js";

const SPAN_TYPE = "mastra.span.type";

export function readMastra(span: Span): Reading | undefined {
  const attrs = span.attributes;
  const type = str(attrs, SPAN_TYPE);
  if (type === undefined) return undefined;
  if (type === "model_generation") {
    const usage = genAiUsage(attrs);
    return { role: Role.Llm, llm: { ...llmInfo({ ...usage, provider: providerOf(usage.provider) }), rollup: true } };
  }
  if (type === "model_step") return { role: Role.Llm, llm: llmInfo(stepUsage(attrs)) };
  // The exporter writes the request's usage on its inference span (`chat <model>`); the bridge
  // writes none there. Either way it is the step's request: nested in the step, one call.
  if (type === "model_inference") {
    const usage = genAiUsage(attrs);
    return usage.input === undefined && usage.output === undefined
      ? { role: Role.Other }
      : { role: Role.Llm, llm: llmInfo({ ...usage, provider: providerOf(usage.provider) }) };
  }
  if (type === "model_chunk") return { role: Role.Other };
  // Agent runs, tools and workflows: as the GenAI conventions read them.
  return undefined;
}

/** The request's model and provider from Mastra's model metadata, its usage from the raw response body. */
function stepUsage(attrs: Attributes) {
  const meta = jsonObject(str(attrs, "mastra.metadata.modelMetadata"));
  const body = jsonObject(str(attrs, "mastra.metadata.body"));
  const usage = body?.["usage"];
  const parts = usage !== null && typeof usage === "object" ? langfuseUsage(usage as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return { ...parts, provider: providerOf(text(meta?.["modelProvider"])), model: text(meta?.["modelId"]), responseModel: text(body?.["model"]) };
}

function jsonObject(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
