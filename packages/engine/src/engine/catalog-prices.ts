// Per-token rates from the @pydantic/genai-prices catalog bundled with the package (no network),
// for ReportOptions.prices. Rates are read at a small usage (1,000 tokens) so long-context
// tiers do not apply.

import { genaiPrices } from "./genai-prices.js";
import { Keyed } from "./keyed.js";
import type { ModelRates, PriceLookup } from "./options.js";

// gen_ai.provider.name well-known values → genai-prices provider ids (others pass through).
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

const providerIds = new Map<string, string | undefined>();

/** The genai-prices provider id for a gen_ai.provider.name value; undefined when the catalog has none. */
export function catalogProviderId(provider: string): string | undefined {
  if (providerIds.has(provider)) return providerIds.get(provider);
  const id = genaiPrices().findProvider({ providerId: PROVIDER_IDS[provider] ?? provider })?.id;
  providerIds.set(provider, id);
  return id;
}

const SAMPLE_TOKENS = 1000;

function priceOf(usage: Record<string, number>, model: string, providerId: string | undefined): number | undefined {
  try {
    return genaiPrices().calcPrice(usage, model, providerId ? { providerId } : {})?.total_price;
  } catch {
    return undefined;
  }
}

/** A price lookup over the bundled catalog; results are memoised per provider and model. */
export function catalogPrices(): PriceLookup {
  const cache = new Keyed<ModelRates | null>();
  return (provider, model) => {
    const known = cache.get(provider, model);
    if (known !== undefined) return known ?? undefined;
    const providerId = catalogProviderId(provider);
    const input = priceOf({ input_tokens: SAMPLE_TOKENS }, model, providerId);
    const output = priceOf({ output_tokens: SAMPLE_TOKENS }, model, providerId);
    const cached = priceOf({ input_tokens: SAMPLE_TOKENS, cache_read_tokens: SAMPLE_TOKENS }, model, providerId);
    const written = priceOf({ input_tokens: SAMPLE_TOKENS, cache_write_tokens: SAMPLE_TOKENS }, model, providerId);
    const rates: ModelRates | null =
      input === undefined || output === undefined
        ? null
        : {
            input: input / SAMPLE_TOKENS,
            output: output / SAMPLE_TOKENS,
            ...(cached !== undefined ? { cacheRead: cached / SAMPLE_TOKENS } : {}),
            ...(written !== undefined ? { cacheWrite: written / SAMPLE_TOKENS } : {}),
          };
    cache.set(provider, model, rates);
    return rates ?? undefined;
  };
}
