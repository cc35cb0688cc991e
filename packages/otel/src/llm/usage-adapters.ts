// Maps each provider's raw `usage` object to the GenAI convention form (LlmUsage): input
// includes cached tokens, output includes reasoning tokens. Anything that is not a usage
// object gives undefined, so callers can pass `body.usage` without checking first.
import type { LlmUsage } from "./types.js";

type Raw = Record<string, unknown>;

function record(value: unknown): Raw | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function withOptional(usage: LlmUsage, extra: Omit<LlmUsage, "inputTokens" | "outputTokens" | "billed">): LlmUsage {
  let key: keyof typeof extra;
  for (key in extra) {
    const value = extra[key];
    if (value !== undefined) usage[key] = value;
  }
  return usage;
}

/**
 * OpenAI Chat Completions `usage` (also Groq, xAI, DeepSeek and other compatible APIs; in a
 * stream, the last chunk's `usage`). Some compatible providers (xAI) leave reasoning tokens out
 * of `completion_tokens`; `total_tokens` tells, and they are added back.
 */
export function usageFromOpenAIChat(raw: unknown): LlmUsage | undefined {
  const u = record(raw);
  const input = count(u?.prompt_tokens);
  const completion = count(u?.completion_tokens);
  if (u === undefined || input === undefined || completion === undefined) return undefined;
  const cacheRead = count(record(u.prompt_tokens_details)?.cached_tokens);
  const reasoning = count(record(u.completion_tokens_details)?.reasoning_tokens);
  const total = count(u.total_tokens);
  const reasoningExcluded = reasoning !== undefined && reasoning > 0 && total === input + completion + reasoning;
  return withOptional(
    { inputTokens: input, outputTokens: reasoningExcluded ? completion + reasoning : completion },
    { cacheReadTokens: cacheRead, reasoningTokens: reasoning },
  );
}

/** OpenAI Responses API `response.usage` (non-streaming body, or `response.completed` event). */
export function usageFromOpenAIResponses(raw: unknown): LlmUsage | undefined {
  const u = record(raw);
  const input = count(u?.input_tokens);
  const output = count(u?.output_tokens);
  if (u === undefined || input === undefined || output === undefined) return undefined;
  return withOptional(
    { inputTokens: input, outputTokens: output },
    {
      cacheReadTokens: count(record(u.input_tokens_details)?.cached_tokens),
      reasoningTokens: count(record(u.output_tokens_details)?.reasoning_tokens),
    },
  );
}

/**
 * Anthropic Messages `usage`, whose `input_tokens` excludes cache reads and writes. For a stream,
 * pass `message_start.message.usage` and the final `message_delta.usage` (cumulative counts;
 * its fields win where present).
 */
export function usageFromAnthropic(raw: unknown, delta?: unknown): LlmUsage | undefined {
  const start = record(raw);
  const end = record(delta);
  if (start === undefined && end === undefined) return undefined;
  const field = (name: string) => count(end?.[name]) ?? count(start?.[name]);
  const uncached = field("input_tokens");
  const output = field("output_tokens");
  if (uncached === undefined || output === undefined) return undefined;
  const cacheRead = field("cache_read_input_tokens");
  const cacheWrite = field("cache_creation_input_tokens");
  return withOptional(
    { inputTokens: uncached + (cacheRead ?? 0) + (cacheWrite ?? 0), outputTokens: output },
    { cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite },
  );
}

/**
 * Gemini `usageMetadata` (generateContent; in a stream, the last chunk's). `promptTokenCount`
 * includes cached content; `candidatesTokenCount` excludes thinking (`thoughtsTokenCount`), which
 * is added to output; tool-use prompt tokens count as input.
 */
export function usageFromGemini(raw: unknown): LlmUsage | undefined {
  const u = record(raw);
  const prompt = count(u?.promptTokenCount);
  if (u === undefined || prompt === undefined) return undefined;
  const candidates = count(u.candidatesTokenCount) ?? 0;
  const thoughts = count(u.thoughtsTokenCount);
  const toolUsePrompt = count(u.toolUsePromptTokenCount) ?? 0;
  return withOptional(
    { inputTokens: prompt + toolUsePrompt, outputTokens: candidates + (thoughts ?? 0) },
    { cacheReadTokens: count(u.cachedContentTokenCount), reasoningTokens: thoughts },
  );
}

/**
 * Ollama's native API (`/api/chat`, `/api/generate`, `/api/embed`): the final object's
 * `prompt_eval_count` (input) and `eval_count` (output; absent for embeddings, which produce none).
 */
export function usageFromOllama(raw: unknown): LlmUsage | undefined {
  const u = record(raw);
  const input = count(u?.prompt_eval_count);
  if (u === undefined || input === undefined) return undefined;
  return { inputTokens: input, outputTokens: count(u.eval_count) ?? 0 };
}

/**
 * Amazon Bedrock usage: Converse `usage` (and ConverseStream's `metadata.usage`), whose
 * `inputTokens` excludes `cacheReadInputTokens` and `cacheWriteInputTokens`; also the
 * `amazon-bedrock-invocationMetrics` of InvokeModel streams (`inputTokenCount`, `outputTokenCount`,
 * `cacheReadInputTokenCount`, `cacheWriteInputTokenCount`), counted the same way.
 */
export function usageFromBedrock(raw: unknown): LlmUsage | undefined {
  const u = record(raw);
  if (u === undefined) return undefined;
  const uncached = count(u.inputTokens) ?? count(u.inputTokenCount);
  const output = count(u.outputTokens) ?? count(u.outputTokenCount);
  if (uncached === undefined || output === undefined) return undefined;
  const cacheRead = count(u.cacheReadInputTokens) ?? count(u.cacheReadInputTokenCount);
  const cacheWrite = count(u.cacheWriteInputTokens) ?? count(u.cacheWriteInputTokenCount);
  return withOptional(
    { inputTokens: uncached + (cacheRead ?? 0) + (cacheWrite ?? 0), outputTokens: output },
    { cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite },
  );
}
