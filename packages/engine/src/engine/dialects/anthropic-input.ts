// Anthropic's `input_tokens` counts only the uncached input: the cache reads and writes are
// beside it. The GenAI conventions (and this engine) count input including them, so a record
// that copied Anthropic's count gets them added back, once. Which records do:
// - OpenLLMetry's @traceloop/instrumentation-anthropic (0.27): gen_ai.usage.input_tokens is the
//   raw count; its spans carry OpenLLMetry's gen_ai.usage.total_tokens (input + output), which no
//   conforming instrumentation writes (the conventions define no total);
// - @ai-sdk/anthropic ≤ 2 under AI SDK 5 (LanguageModelV2 usage): ai.usage.inputTokens is the raw
//   count, the cache read is ai.usage.cachedInputTokens (doStream) or inside the raw usage in
//   ai.response.providerMetadata (doGenerate), the cache write only there. AI SDK 6 (V3 usage)
//   counts input with the cache and writes ai.usage.inputTokenDetails.* beside it.

import type { Attributes } from "../../model.js";
import { num, str } from "./attrs.js";
import type { UsageParts } from "./reading.js";

export const isAnthropic = (provider: string | undefined): boolean => provider === "anthropic" || provider?.startsWith("anthropic.") === true;

/** Input plus the cache reads and writes beside it. */
export function withCacheAddedBack(parts: UsageParts): UsageParts {
  if (parts.input === undefined) return parts;
  return { ...parts, input: parts.input + (parts.cacheRead ?? 0) + (parts.cacheWrite ?? 0) };
}

/** An OpenLLMetry Anthropic span: its input is Anthropic's raw count. */
export const openLlmetryAnthropicInput = (attrs: Attributes, provider: string | undefined): boolean =>
  isAnthropic(provider) && num(attrs, "gen_ai.usage.total_tokens") !== undefined;

/** The cache counts AI SDK 5 leaves in `ai.response.providerMetadata` (JSON text) of an Anthropic call. */
export function aiSdkAnthropicCache(attrs: Attributes): { cacheRead?: number; cacheWrite?: number } {
  const raw = str(attrs, "ai.response.providerMetadata");
  if (raw === undefined) return {};
  let anthropic: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(raw) as { anthropic?: unknown } | null;
    if (parsed !== null && typeof parsed === "object" && parsed.anthropic !== null && typeof parsed.anthropic === "object")
      anthropic = parsed.anthropic as Record<string, unknown>;
  } catch {
    return {};
  }
  if (anthropic === undefined) return {};
  const usage = anthropic.usage !== null && typeof anthropic.usage === "object" ? (anthropic.usage as Record<string, unknown>) : {};
  const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  return { cacheRead: count(usage.cache_read_input_tokens), cacheWrite: count(anthropic.cacheCreationInputTokens) ?? count(usage.cache_creation_input_tokens) };
}

/** AI SDK 6 and later write the input's parts: their input already holds the cache. */
export const aiSdkInputIncludesCache = (attrs: Attributes): boolean => Object.keys(attrs).some((k) => k.startsWith("ai.usage.inputTokenDetails."));
