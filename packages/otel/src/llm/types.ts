// The contract between llmCall (explicit), the fetch capture (zero-code) and the usage adapters.

/** Token usage in GenAI semantic-convention form: input includes cached, output includes reasoning. */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  /** Written to the provider's prompt cache (Anthropic cache_creation_input_tokens). */
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** What the provider bills, when it is not what the model read and wrote (Cohere's billed_units): the cost is priced on it. */
  billed?: { inputTokens: number; outputTokens: number };
}

export interface LlmResponseInfo {
  model?: string;
  id?: string;
  finishReasons?: string[];
}

export type LlmOperation = "chat" | "text_completion" | "generate_content" | "embeddings";

export interface LlmCallOptions {
  /** gen_ai.provider.name well-known value: openai, anthropic, gcp.gemini, groq, x_ai, deepseek, mistral_ai, ... */
  provider: string;
  model: string;
  operation?: LlmOperation;
  stream?: boolean;
  serverAddress?: string;
  serverPort?: number;
}

/** Handle passed to the llmCall callback; the fetch capture fills in the same handle when one is active. */
export interface LlmCallHandle {
  setUsage(usage: LlmUsage): void;
  setResponse(response: LlmResponseInfo): void;
  /** Fills in request details learnt later (the fetch capture knows the model only from the body). */
  setRequest(request: Partial<LlmCallOptions>): void;
  /** Seconds from request start to the first streamed chunk. */
  setTimeToFirstChunk(seconds: number): void;
  /** Marks the call as failed without throwing (HTTP error bodies, cancelled streams). */
  setError(errorType: string, message?: string): void;
  /** Free-form attributes (jotty.llm.prompt_hash, gen_ai.input.messages, jotty.llm.usage_missing...). */
  setAttributes(attributes: Record<string, string | number | boolean | string[] | number[]>): void;
}
