// A genai-prices catalog model resolved once into a per-call cost function. calcPrice matches
// the model against the catalog and decomposes the usage through its unit lattice on every call
// (tens of µs); for the common price shapes the same result is a few multiplications.
//
// The fast path mirrors calcPrice's arithmetic term for term (same order, same expressions), so
// its results are bit-identical; it is checked against calcPrice on probe usages when a model is
// resolved, and any shape or usage it does not cover goes to calcPrice, the source of truth.
import { genaiPrices } from "@jotty/engine/prices";
import type { ModelPrice, Usage } from "@pydantic/genai-prices";
import type { LlmUsage } from "./types.js";

/** How one catalog model is priced per call; `validUntil` (epoch ms) bounds a date-conditional price. */
export interface CatalogModel {
  cost(usage: LlmUsage): number | undefined;
  validUntil: number;
  /** false: every call goes to calcPrice (a price shape the fast path does not cover). */
  arithmetic: boolean;
}

// Price keys whose usage the fast path supplies, with their usage field (all per 1M tokens).
const LEAF_KEYS = {
  input_mtok: "inputTokens",
  output_mtok: "outputTokens",
  cache_read_mtok: "cacheReadTokens",
  cache_write_mtok: "cacheWriteTokens",
} as const;
type LeafKey = keyof typeof LEAF_KEYS;

// Price keys whose usage we never report: calcPrice prices them at 0 and they neither own nor
// take away from the four leaf values above (more specific units, or other unit families).
const ZERO_KEYS = new Set([
  "cache_write_1h_mtok",
  "input_audio_mtok",
  "cache_audio_read_mtok",
  "output_audio_mtok",
  "input_image_mtok",
  "cache_image_read_mtok",
  "output_image_mtok",
  "input_video_mtok",
  "output_video_mtok",
  "web_searches_kcount",
  "storage_searches_kcount",
]);

interface Term {
  key: LeafKey;
  /** USD per 1M tokens, or tiers (ascending start) chosen by the total input tokens. */
  price: number;
  tiers?: { base: number; tiers: { start: number; price: number }[] };
}

// Probe usages checked against calcPrice when a model is resolved: plain, cached, above 200k tiers.
const PROBES: LlmUsage[] = [
  { inputTokens: 16, outputTokens: 363 },
  { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 300, cacheWriteTokens: 100 },
  { inputTokens: 300_000, outputTokens: 5000, cacheReadTokens: 100_000 },
  { inputTokens: 0, outputTokens: 0 },
];

function catalogUsage(usage: LlmUsage): Usage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
  };
}

/** calcPrice's total, or undefined when it finds no price or rejects the usage/catalog data. */
export function calcCost(providerId: string | undefined, model: string, usage: LlmUsage, timestamp?: Date): number | undefined {
  try {
    const options = providerId ? { providerId, timestamp } : { timestamp };
    return genaiPrices().calcPrice(catalogUsage(usage), model, options)?.total_price;
  } catch {
    return undefined; // inconsistent usage (cache > input) or catalog data the library rejects
  }
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0;

/** The terms of a price the fast path covers exactly, or undefined (→ calcPrice). */
function fastTerms(price: ModelPrice): Term[] | undefined {
  const terms: Term[] = [];
  for (const [key, value] of Object.entries(price)) {
    if (value === undefined || ZERO_KEYS.has(key)) continue;
    if (!Object.hasOwn(LEAF_KEYS, key)) return undefined;
    if (typeof value === "number") terms.push({ key: key as LeafKey, price: value });
    else terms.push({ key: key as LeafKey, price: 0, tiers: { base: value.base, tiers: [...value.tiers].sort((a, b) => a.start - b.start) } });
  }
  return terms;
}

function fastCost(terms: Term[], usage: LlmUsage): number | undefined {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = usage;
  if (!isCount(inputTokens) || !isCount(outputTokens)) return undefined;
  if (cacheReadTokens !== undefined && !isCount(cacheReadTokens)) return undefined;
  if (cacheWriteTokens !== undefined && !isCount(cacheWriteTokens)) return undefined;
  let hasCacheRead = false;
  let hasCacheWrite = false;
  for (const term of terms) {
    if (term.key === "cache_read_mtok") hasCacheRead = true;
    else if (term.key === "cache_write_mtok") hasCacheWrite = true;
  }
  // Leaf values as calcPrice decomposes them: input tokens minus the cached ones it prices apart.
  const cacheRead = cacheReadTokens ?? 0;
  const cacheWrite = cacheWriteTokens ?? 0;
  let cached = 0;
  if (hasCacheRead) cached += cacheRead;
  if (hasCacheWrite) cached += cacheWrite;
  const uncached = inputTokens - cached;
  if (uncached < 0) return undefined;
  let input = 0;
  let output = 0;
  for (const term of terms) {
    const leaf = term.key === "input_mtok" ? uncached : term.key === "output_mtok" ? outputTokens : term.key === "cache_read_mtok" ? cacheRead : cacheWrite;
    let cost: number;
    if (term.tiers === undefined) cost = (term.price * leaf) / 1e6;
    else if (leaf <= 0) cost = 0;
    else {
      let rate = term.tiers.base;
      for (const tier of term.tiers.tiers) if (inputTokens > tier.start) rate = tier.price;
      cost = (((rate * leaf) / 1e6) * 1e6) / 1e6;
    }
    if (term.key === "output_mtok") output += cost;
    else input += cost;
  }
  return input + output;
}

/** The nearest start_date after `now` among a model's conditional prices (the chosen price holds until then). */
function nextPriceChange(prices: unknown, now: number): number | undefined {
  if (!Array.isArray(prices)) return Infinity;
  let next = Infinity;
  for (const entry of prices as { constraint?: { type: string; start_date?: string } }[]) {
    const constraint = entry.constraint;
    if (constraint === undefined) continue;
    if (constraint.type !== "start_date" || constraint.start_date === undefined) return undefined; // time of day
    const at = new Date(constraint.start_date).getTime();
    if (at > now && at < next) next = at;
  }
  return next;
}

/**
 * Resolves `model` in the catalog once. null: the catalog has no price for it. Usage that the
 * fast path does not cover (cache tokens above input, non-numbers) goes to calcPrice.
 */
export function resolveCatalogModel(providerId: string | undefined, model: string, now = Date.now()): CatalogModel | null {
  const slow: CatalogModel = { cost: (usage) => calcCost(providerId, model, usage), validUntil: Infinity, arithmetic: false };
  let found: ReturnType<ReturnType<typeof genaiPrices>["calcPrice"]>;
  try {
    found = genaiPrices().calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId, timestamp: new Date(now) });
  } catch {
    return slow;
  }
  if (found === null) return null;
  const validUntil = nextPriceChange(found.model.prices, now);
  const terms = fastTerms(found.model_price);
  if (validUntil === undefined || terms === undefined) return slow;
  const at = new Date(now);
  for (const probe of PROBES) {
    if (!Object.is(fastCost(terms, probe), calcCost(providerId, model, probe, at))) return slow;
  }
  return {
    cost: (usage) => fastCost(terms, usage) ?? calcCost(providerId, model, usage),
    validUntil,
    arithmetic: true,
  };
}
