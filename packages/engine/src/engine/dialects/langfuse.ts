// Langfuse (JS SDK v4/v5 and the OTel endpoint): langfuse.observation.type and its usage and cost
// details, JSON objects written as strings (their meaning: langfuse-usage.ts). Langfuse's own
// integrations (@langfuse/openai) record no provider: it is the one the price catalog knows the
// model under.

import type { Attributes, Span } from "../../model.js";
import { firstStr, str } from "./attrs.js";
import { langfuseUsage } from "./langfuse-usage.js";
import { providerOfModel } from "./model-provider.js";
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
      const model = firstStr(attrs, "langfuse.observation.model.name", "gen_ai.request.model");
      return {
        role: Role.Llm,
        llm: llmInfo({
          provider: firstStr(attrs, "gen_ai.provider.name", "gen_ai.system", "langfuse.observation.metadata.ls_provider") ?? providerOfModel(model),
          model,
          ...(usage === undefined ? {} : langfuseUsage(usage)),
          cost: cost === undefined ? undefined : totalCost(cost),
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

/** `total`, else the sum of the parts (Langfuse's own rule when no total is given). */
function totalCost(cost: Record<string, unknown>): number | undefined {
  const total = cost["total"];
  if (typeof total === "number" && Number.isFinite(total)) return total;
  let sum: number | undefined;
  for (const v of Object.values(cost)) if (typeof v === "number" && Number.isFinite(v)) sum = (sum ?? 0) + v;
  return sum;
}

/** A details object; undefined when absent or not a JSON object (never an error). */
function details(attrs: Attributes, key: string): Record<string, unknown> | undefined {
  const raw = str(attrs, key);
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
