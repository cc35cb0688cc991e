// Maps a provider's raw usage object through the llm module's adapters.
import type { LlmUsage } from "../llm/types.js";
import {
  usageFromAnthropic,
  usageFromGemini,
  usageFromOpenAIChat,
  usageFromOpenAIResponses,
} from "../llm/usage-adapters.js";
import type { LlmApi } from "./endpoints.js";

export function usageFor(api: LlmApi, raw: unknown): LlmUsage | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  switch (api) {
    case "openai.chat":
    case "openai.completions":
      return usageFromOpenAIChat(raw);
    case "openai.embeddings":
      // Embeddings produce no output tokens, and their usage says so by leaving the field out.
      return usageFromOpenAIChat({ completion_tokens: 0, ...raw });
    case "openai.responses":
      return usageFromOpenAIResponses(raw);
    case "anthropic.messages":
      return usageFromAnthropic(raw);
    case "gemini":
      return usageFromGemini(raw);
  }
}
