// OpenInference (Arize Phoenix): openinference.span.kind and the llm.* attributes.

import type { Span } from "../../model.js";
import { firstStr, num, str } from "./attrs.js";
import { providerOfModel } from "./model-provider.js";
import { Frame, llmInfo, Role, type Reading } from "./reading.js";

const ATTR_SPAN_KIND = "openinference.span.kind";

export function readOpenInference(span: Span): Reading | undefined {
  const attrs = span.attributes;
  const kind = str(attrs, ATTR_SPAN_KIND)?.toUpperCase();
  if (kind === undefined) return undefined;
  switch (kind) {
    case "LLM":
    case "EMBEDDING": {
      // llm.model_name is the response's model when the instrumentation saw the response; the
      // requested one is in llm.invocation_parameters (the by-model rows' key, as other records name it).
      const served = firstStr(attrs, "llm.model_name", "embedding.model_name");
      const model = requestedModel(str(attrs, "llm.invocation_parameters")) ?? served;
      return {
        role: Role.Llm,
        llm: llmInfo({
          // Without a provider (LangGraph's node runs carry no ls_provider): the one the catalog knows the model under.
          provider: firstStr(attrs, "llm.provider", "llm.system") ?? providerOfModel(model),
          model,
          responseModel: served,
          input: num(attrs, "llm.token_count.prompt"),
          output: num(attrs, "llm.token_count.completion"),
          cacheRead: num(attrs, "llm.token_count.prompt_details.cache_read"),
          cacheWrite: num(attrs, "llm.token_count.prompt_details.cache_write"),
          reasoning: num(attrs, "llm.token_count.completion_details.reasoning"),
          cost: num(attrs, "llm.cost.total"),
        }),
      };
    }
    case "TOOL":
      return { role: Role.Tool, label: str(attrs, "tool.name") };
    case "AGENT":
    case "CHAIN":
      return { role: Role.Other, frame: Frame.Container };
    default:
      // RETRIEVER, RERANKER, GUARDRAIL, EVALUATOR, PROMPT: time of their own, "other".
      return { role: Role.Other };
  }
}

/** The `model` of OpenInference's llm.invocation_parameters (JSON text), when it names one. */
function requestedModel(json: string | undefined): string | undefined {
  if (json === undefined) return undefined;
  try {
    const params = JSON.parse(json) as { model?: unknown } | null;
    return typeof params?.model === "string" && params.model !== "" ? params.model : undefined;
  } catch {
    return undefined;
  }
}
