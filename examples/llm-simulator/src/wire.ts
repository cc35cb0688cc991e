// OpenAI Chat Completions wire format, as recorded in fixtures/llm/openai-chat.
import { createHash } from "node:crypto";
import { CHARS_PER_TOKEN, type ChatMessage } from "./tokenizer.ts";

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export const SYSTEM_FINGERPRINT = "fp_jottysim01";

export function usage(promptTokens: number, cachedTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const WORDS =
  "the agent plans each step then checks the result against the goal and carries what it learnt forward so later steps see more context which costs time tokens and money unless the prompt is cached or compressed".split(
    " ",
  );

/** Deterministic text of exactly `tokens` tokens (tokens × 4 characters), seeded by the prompt. */
export function completionText(prompt: string, tokens: number): string {
  const seed = createHash("sha256").update(prompt).digest();
  const length = tokens * CHARS_PER_TOKEN;
  let text = "";
  for (let i = 0; text.length < length; i++) text += `${WORDS[(seed[i % seed.length]! + i) % WORDS.length]} `;
  return text.slice(0, length);
}

export function completionId(n: number): string {
  return `chatcmpl-sim${n.toString().padStart(8, "0")}`;
}

export function chatCompletion(id: string, created: number, model: string, content: string, usageValue: Usage) {
  return {
    id,
    object: "chat.completion",
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: usageValue,
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

export function chatChunk(
  id: string,
  created: number,
  model: string,
  choice: { delta: Record<string, unknown>; finish_reason: string | null } | undefined,
  usageValue: Usage | null | undefined,
) {
  return {
    id,
    object: "chat.completion.chunk",
    created,
    model,
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: choice ? [{ index: 0, delta: choice.delta, logprobs: null, finish_reason: choice.finish_reason }] : [],
    // present (null) on every chunk only when the client asked for usage, as OpenAI does
    ...(usageValue === undefined ? {} : { usage: usageValue }),
  };
}
