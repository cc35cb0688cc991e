// Langfuse (JS SDK v4 and the OTel endpoint): langfuse.observation.type and its usage and cost
// details, JSON objects written as strings.

import type { Attributes, Span } from "../../model.js";
import { firstStr, str } from "./attrs.js";
import { Frame, llmInfo, Role, type Reading } from "./reading.js";

const ATTR_TYPE = "langfuse.observation.type";

export function readLangfuse(span: Span): Reading | undefined {
  const attrs = span.attributes;
  const type = str(attrs, ATTR_TYPE);
  if (type === undefined) return undefined;
  switch (type) {
    case "generation":
    case "embedding": {
      const usage = details(attrs, "langfuse.observation.usage_details");
      const cost = details(attrs, "langfuse.observation.cost_details");
      return {
        role: Role.Llm,
        llm: llmInfo({
          provider: firstStr(attrs, "gen_ai.provider.name", "gen_ai.system"),
          model: firstStr(attrs, "langfuse.observation.model.name", "gen_ai.request.model"),
          input: usage?.["input"],
          output: usage?.["output"],
          cacheRead: usage?.["input_cache_read"] ?? usage?.["cache_read_input_tokens"],
          cacheWrite: usage?.["input_cache_creation"] ?? usage?.["cache_creation_input_tokens"],
          reasoning: usage?.["output_reasoning"],
          cost: cost?.["total"],
        }),
      };
    }
    case "tool":
      return { role: Role.Tool };
    case "agent":
    case "chain":
    case "span":
      return { role: Role.Other, frame: Frame.Container };
    default:
      return { role: Role.Other };
  }
}

/** A details object of finite numbers; undefined when absent or not JSON (never an error). */
function details(attrs: Attributes, key: string): Record<string, number> | undefined {
  const raw = str(attrs, key);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object") return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
  return out;
}
