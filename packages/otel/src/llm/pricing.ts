import { calcPrice, findProvider } from "@pydantic/genai-prices";
import type { LlmUsage } from "./types.js";
import { findPriceOverride, type PriceOverride } from "./price-overrides.js";

// gen_ai.provider.name well-known values → @pydantic/genai-prices provider ids (others pass through).
const PROVIDER_IDS: Record<string, string> = {
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "gcp.gen_ai": "google",
  x_ai: "x-ai",
  mistral_ai: "mistral",
  "aws.bedrock": "aws",
  "azure.ai.openai": "azure",
  "azure.ai.inference": "azure",
};

const catalogProvider = new Map<string, string | undefined>();
const unknownWarned = new Set<string>();

function catalogProviderId(provider: string): string | undefined {
  if (catalogProvider.has(provider)) return catalogProvider.get(provider);
  const id = findProvider({ providerId: PROVIDER_IDS[provider] ?? provider })?.id;
  catalogProvider.set(provider, id);
  return id;
}

function overrideCost(price: PriceOverride, usage: LlmUsage): number {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  return (
    (uncached * price.inputPerMTok +
      cacheRead * (price.cacheReadPerMTok ?? price.inputPerMTok) +
      cacheWrite * (price.cacheWritePerMTok ?? price.inputPerMTok) +
      usage.outputTokens * price.outputPerMTok) /
    1_000_000
  );
}

function catalogCost(provider: string, model: string, usage: LlmUsage): number | undefined {
  const providerId = catalogProviderId(provider);
  try {
    const result = calcPrice(
      {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        cache_read_tokens: usage.cacheReadTokens,
        cache_write_tokens: usage.cacheWriteTokens,
      },
      model,
      providerId ? { providerId } : {},
    );
    return result?.total_price;
  } catch {
    return undefined; // inconsistent usage (cache > input) or catalog data the library rejects
  }
}

/**
 * Cost in USD of one call: overrides (code, then JOTTY_PRICES) first, then the genai-prices
 * catalog; each tried with the response model, then the request model. Unknown → undefined and
 * one warning per provider/model, never an invented price.
 */
export function priceUsage(
  provider: string,
  models: string | readonly (string | undefined)[],
  usage: LlmUsage,
): number | undefined {
  const candidates = (typeof models === "string" ? [models] : models).filter(
    (m): m is string => typeof m === "string" && m.length > 0,
  );
  for (const model of candidates) {
    const override = findPriceOverride(provider, model);
    if (override) return overrideCost(override, usage);
  }
  for (const model of candidates) {
    const cost = catalogCost(provider, model, usage);
    if (cost !== undefined) return cost;
  }
  const key = `${provider}/${candidates[0] ?? "(no model)"}`;
  if (!unknownWarned.has(key)) {
    unknownWarned.add(key);
    process.emitWarning(`no price known for ${key}: gen_ai.usage.cost not set (add it to JOTTY_PRICES)`, {
      code: "JOTTY_UNKNOWN_PRICE",
    });
  }
  return undefined;
}

/** USD per token, the shape the analyzer engine's PriceLookup returns. */
export interface TokenRates {
  input: number;
  output: number;
  cacheRead?: number;
}

const ratesCache = new Map<string, TokenRates | undefined>();

/**
 * Per-token rates of a model (overrides first, then the catalog at 1M-token volumes), for the
 * engine's cost estimates of cheaper models. Silent: an unknown model is just undefined.
 */
export function priceRates(provider: string, model: string): TokenRates | undefined {
  const override = findPriceOverride(provider, model);
  if (override) {
    return {
      input: override.inputPerMTok / 1e6,
      output: override.outputPerMTok / 1e6,
      cacheRead: (override.cacheReadPerMTok ?? override.inputPerMTok) / 1e6,
    };
  }
  const key = `${provider}\u0000${model}`;
  if (ratesCache.has(key)) return ratesCache.get(key);
  const perToken = (usage: LlmUsage) => {
    const cost = catalogCost(provider, model, usage);
    return cost === undefined ? undefined : cost / 1e6;
  };
  const input = perToken({ inputTokens: 1e6, outputTokens: 0 });
  const output = perToken({ inputTokens: 0, outputTokens: 1e6 });
  const cacheRead = perToken({ inputTokens: 1e6, outputTokens: 0, cacheReadTokens: 1e6 });
  const rates = input === undefined || output === undefined ? undefined : { input, output, ...(cacheRead === undefined ? {} : { cacheRead }) };
  ratesCache.set(key, rates);
  return rates;
}
