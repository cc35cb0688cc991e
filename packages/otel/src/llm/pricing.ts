import { catalogPrices, catalogProviderId } from "@jotty/engine/prices";
import type { LlmUsage } from "./types.js";
import { resolveCatalogModel, type CatalogModel } from "./catalog-price.js";
import { findPriceOverride, priceOverridesGeneration, type PriceOverride } from "./price-overrides.js";

const unknownWarned = new Set<string>();

/** What is known about one provider/model: its override (for one overrides generation) and catalog entry. */
interface ModelPricing {
  generation: number;
  override: PriceOverride | undefined;
  /** undefined: not looked up yet; null: not in the catalog. */
  catalog: CatalogModel | null | undefined;
}

const pricing = new Map<string, Map<string, ModelPricing>>();
// Bounds the cache should an app send an endless variety of model names (they come from bodies).
const MAX_CACHED_MODELS = 1000;
let cachedModels = 0;

function modelPricing(provider: string, model: string): ModelPricing {
  let byModel = pricing.get(provider);
  if (byModel === undefined) pricing.set(provider, (byModel = new Map()));
  let entry = byModel.get(model);
  if (entry === undefined) {
    if (++cachedModels > MAX_CACHED_MODELS) {
      pricing.clear();
      pricing.set(provider, (byModel = new Map()));
      cachedModels = 1;
    }
    entry = { generation: -1, override: undefined, catalog: undefined };
    byModel.set(model, entry);
  }
  const generation = priceOverridesGeneration();
  if (entry.generation !== generation) {
    entry.generation = generation;
    entry.override = findPriceOverride(provider, model);
  }
  return entry;
}

function catalogModel(provider: string, model: string, entry: ModelPricing): CatalogModel | null {
  let catalog = entry.catalog;
  if (catalog === undefined || (catalog !== null && catalog.validUntil !== Infinity && Date.now() >= catalog.validUntil)) {
    catalog = entry.catalog = resolveCatalogModel(catalogProviderId(provider), model);
  }
  return catalog;
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

const isModel = (m: string | undefined): m is string => typeof m === "string" && m.length > 0;

/**
 * Cost in USD of one call: overrides (code, then JOTTY_PRICES) first, then the genai-prices
 * catalog; each tried with the response model, then the request model. Unknown → undefined and
 * one warning per provider/model, never an invented price. Lookups are cached per
 * provider/model (overrides changes redo them).
 */
export function priceUsage(provider: string, models: string | readonly (string | undefined)[], processed: LlmUsage): number | undefined {
  const usage: LlmUsage = processed.billed ?? processed;
  const candidates = typeof models === "string" ? [models] : models;
  for (const model of candidates) {
    if (!isModel(model)) continue;
    const override = modelPricing(provider, model).override;
    if (override) return overrideCost(override, usage);
  }
  for (const model of candidates) {
    if (!isModel(model)) continue;
    const cost = catalogModel(provider, model, modelPricing(provider, model))?.cost(usage);
    if (cost !== undefined) return cost;
  }
  const key = `${provider}/${candidates.find(isModel) ?? "(no model)"}`;
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

const catalogRates = catalogPrices();

/**
 * Per-token rates of a model (overrides first, then the analyzer's catalog lookup, read below any
 * long-context tier), for the engine's cost estimates of cheaper models. Silent: an unknown model
 * is just undefined.
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
  return catalogRates(provider, model);
}
