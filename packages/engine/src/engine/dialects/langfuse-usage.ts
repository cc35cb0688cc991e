// Langfuse usage details by their documented meaning. `usage_details` are parts that add up to
// the totals: `input` is the uncached input only, beside `input_cached_tokens` (or
// `input_cache_read`, Anthropic's `cache_read_input_tokens`…), and `output` excludes
// `output_reasoning_tokens` (what @langfuse/openai writes: each `*_tokens_details` count is
// subtracted and written beside). A generation may instead carry a provider's raw usage object:
// OpenAI's (`prompt_tokens`, nested `prompt_tokens_details.cached_tokens`, totals) or
// Anthropic's (`input_tokens` without the cache counts beside it).

import type { UsageParts } from "./reading.js";

type Details = Record<string, unknown>;
type Usage = Pick<UsageParts, "input" | "output" | "cacheRead" | "cacheWrite" | "reasoning">;

const CACHE_READ_KEYS = ["input_cached_tokens", "input_cache_read", "input_cache_read_tokens", "cache_read_input_tokens"];
const CACHE_WRITE_KEYS = ["input_cache_creation", "input_cache_write", "input_cache_creation_tokens", "cache_creation_input_tokens"];
const REASONING_KEYS = ["output_reasoning_tokens", "output_reasoning"];

const n = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const first = (d: Details, keys: readonly string[]): number | undefined => {
  for (const k of keys) {
    const v = n(d[k]);
    if (v !== undefined) return v;
  }
  return undefined;
};
const nested = (d: Details, key: string, inner: string): number | undefined => {
  const o = d[key];
  return o !== null && typeof o === "object" ? n((o as Details)[inner]) : undefined;
};
const sum = (...vs: (number | undefined)[]): number => vs.reduce<number>((a, v) => a + (v ?? 0), 0);

export function langfuseUsage(d: Details): Usage {
  if (n(d["prompt_tokens"]) !== undefined || n(d["completion_tokens"]) !== undefined) return openAiUsage(d, "prompt_tokens", "completion_tokens");
  if (n(d["input_tokens"]) !== undefined || n(d["output_tokens"]) !== undefined) {
    if (d["input_tokens_details"] !== undefined || d["output_tokens_details"] !== undefined) return openAiUsage(d, "input_tokens", "output_tokens");
    return anthropicUsage(d);
  }
  return parts(d);
}

/** OpenAI's usage object (Chat Completions or Responses): totals, with the cached and reasoning counts inside. */
function openAiUsage(d: Details, inputKey: string, outputKey: string): Usage {
  const chat = inputKey === "prompt_tokens";
  return {
    input: n(d[inputKey]),
    output: n(d[outputKey]),
    cacheRead: nested(d, chat ? "prompt_tokens_details" : "input_tokens_details", "cached_tokens"),
    reasoning: nested(d, chat ? "completion_tokens_details" : "output_tokens_details", "reasoning_tokens"),
  };
}

/** Anthropic's usage object: `input_tokens` excludes the cache reads and writes beside it. */
function anthropicUsage(d: Details): Usage {
  const input = n(d["input_tokens"]);
  const cacheRead = n(d["cache_read_input_tokens"]);
  const cacheWrite = n(d["cache_creation_input_tokens"]);
  return { input: input === undefined ? undefined : sum(input, cacheRead, cacheWrite), output: n(d["output_tokens"]), cacheRead, cacheWrite };
}

/** Langfuse's own usage types: every input part and every output part adds to its total. */
function parts(d: Details): Usage {
  let input: number | undefined;
  let output: number | undefined;
  for (const [key, raw] of Object.entries(d)) {
    const v = n(raw);
    if (v === undefined) continue;
    if (key === "input" || key.startsWith("input_") || CACHE_READ_KEYS.includes(key) || CACHE_WRITE_KEYS.includes(key)) input = (input ?? 0) + v;
    else if (key === "output" || key.startsWith("output_")) output = (output ?? 0) + v;
  }
  return { input, output, cacheRead: first(d, CACHE_READ_KEYS), cacheWrite: first(d, CACHE_WRITE_KEYS), reasoning: first(d, REASONING_KEYS) };
}
