import { calcPrice } from "@pydantic/genai-prices";
import { afterEach, describe, expect, it } from "vitest";
import { resolveCatalogModel } from "../../src/llm/catalog-price.js";
import { resetPriceOverrides, setPriceOverrides } from "../../src/llm/price-overrides.js";
import { priceUsage } from "../../src/llm/pricing.js";
import type { LlmUsage } from "../../src/llm/types.js";

afterEach(() => resetPriceOverrides());

const usages: LlmUsage[] = [
  { inputTokens: 16, outputTokens: 363 },
  { inputTokens: 12, outputTokens: 29, cacheReadTokens: 0, cacheWriteTokens: 0 },
  { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 400_000 },
  { inputTokens: 1250, outputTokens: 10, cacheReadTokens: 1000, cacheWriteTokens: 200 },
  { inputTokens: 2048, outputTokens: 7, cacheWriteTokens: 2000 },
  // 200k-token tiers (claude-sonnet-4-5, gemini-3-pro): just at, and above, the threshold
  { inputTokens: 200_000, outputTokens: 1000, cacheReadTokens: 50_000 },
  { inputTokens: 200_001, outputTokens: 1000, cacheReadTokens: 50_000, cacheWriteTokens: 1 },
  { inputTokens: 0, outputTokens: 0 },
  { inputTokens: 3, outputTokens: 1.5 },
  // rejected by calcPrice: cache above input, negative, not a number
  { inputTokens: 10, outputTokens: 1, cacheReadTokens: 11 },
  { inputTokens: -1, outputTokens: 1 },
  { inputTokens: Number.NaN, outputTokens: 1 },
];

/** calcPrice as pricing.ts called it before the cache: the source of truth. */
function reference(providerId: string, model: string, usage: LlmUsage): number | undefined {
  try {
    return calcPrice(
      {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        cache_read_tokens: usage.cacheReadTokens,
        cache_write_tokens: usage.cacheWriteTokens,
      },
      model,
      { providerId },
    )?.total_price;
  } catch {
    return undefined;
  }
}

// [gen_ai.provider.name, catalog provider id, model, priced arithmetically?]
const models: [string, string, string, boolean][] = [
  // the models in the recorded fixtures
  ["openai", "openai", "gpt-4.1-nano-2025-04-14", true],
  ["openai", "openai", "gpt-5-mini-2025-08-07", true],
  ["anthropic", "anthropic", "claude-sonnet-4-5-20250929", true], // tiered prices
  ["anthropic", "anthropic", "claude-haiku-4-5-20251001", true], // cache writes, 1h cache writes
  ["groq", "groq", "llama-3.3-70b-versatile", true], // no cache price
  ["x_ai", "x-ai", "grok-3-mini", true],
  ["gcp.gemini", "google", "gemini-3-pro-preview", true], // tiered prices
  // other shapes
  ["gcp.gemini", "google", "gemini-2.5-flash", true], // audio prices
  ["openai", "openai", "gpt-4o-mini", true],
  ["openai", "openai", "o3", true], // a price that changed on a past date
  ["mistral_ai", "mistral", "ministral-8b-latest", true],
  ["deepseek", "deepseek", "deepseek-chat", false], // time-of-day prices
  ["openai", "openai", "whisper-1", false], // audio hours
];

describe("cached catalog prices equal calcPrice", () => {
  it.each(models)("%s %s/%s", (provider, providerId, model, arithmetic) => {
    expect(resolveCatalogModel(providerId, model)?.arithmetic).toBe(arithmetic);
    for (const usage of usages) {
      const expected = reference(providerId, model, usage);
      // twice: the first call resolves the model, the second is served from the cache
      expect(priceUsage(provider, model, usage)).toBe(expected);
      expect(priceUsage(provider, model, usage)).toBe(expected);
      expect(resolveCatalogModel(providerId, model)!.cost(usage)).toBe(expected);
    }
  });

  it("a price with a future start date holds only until that date", () => {
    const before = Date.parse("2026-12-31T23:00:00Z");
    const resolved = resolveCatalogModel("google", "gemini-3.6-flash", before)!;
    expect(resolved.arithmetic).toBe(true);
    expect(resolved.validUntil).toBe(Date.parse("2027-01-01T00:00:00Z"));
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(resolved.cost(usage)).toBe(
      calcPrice({ input_tokens: 1e6, output_tokens: 1e6 }, "gemini-3.6-flash", { providerId: "google", timestamp: new Date(before) })!.total_price,
    );
  });

  it("an unknown model resolves to null", () => {
    expect(resolveCatalogModel("openai", "in-house-model-7")).toBeNull();
  });

  it("overrides set after a model was priced from the catalog take over, and resetting them restores the catalog price", () => {
    const usage = { inputTokens: 1e6, outputTokens: 0 };
    const catalog = priceUsage("openai", "gpt-4o-mini", usage);
    expect(catalog).toBe(reference("openai", "gpt-4o-mini", usage));
    setPriceOverrides({ "openai/gpt-4o-mini": { inputPerMTok: 7, outputPerMTok: 7 } });
    expect(priceUsage("openai", "gpt-4o-mini", usage)).toBe(7);
    setPriceOverrides({ "gpt-4o-mini": { inputPerMTok: 9, outputPerMTok: 9 } }, { replace: true });
    expect(priceUsage("openai", ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"], usage)).toBe(9);
    resetPriceOverrides();
    expect(priceUsage("openai", "gpt-4o-mini", usage)).toBe(catalog);
  });

  it("prices stay right when more models are seen than the cache keeps", () => {
    const overrides = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`m${i}`, { inputPerMTok: i, outputPerMTok: 0 }]));
    setPriceOverrides(overrides);
    const usage = { inputTokens: 1e6, outputTokens: 0 };
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1500; i++) expect(priceUsage("openai", `m${i}`, usage)).toBe(i);
      expect(priceUsage("openai", "gpt-4o-mini", usage)).toBe(reference("openai", "gpt-4o-mini", usage));
    }
  });
});
