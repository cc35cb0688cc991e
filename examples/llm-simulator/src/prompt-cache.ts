import { commonPrefixTokens } from "./tokenizer.ts";

export interface PromptCacheOptions {
  /** Prompts shorter than this are never cached (OpenAI: 1024). */
  minTokens?: number;
  /** Cached tokens come in blocks of this size (OpenAI: 128). */
  blockTokens?: number;
  /** How many recent prompts are remembered. */
  capacity?: number;
}

/** Mimics OpenAI's automatic prompt caching: a repeated prompt prefix is reported as cached_tokens. */
export class PromptCache {
  readonly #prompts: string[] = [];
  readonly #minTokens: number;
  readonly #blockTokens: number;
  readonly #capacity: number;

  constructor(options: PromptCacheOptions = {}) {
    this.#minTokens = options.minTokens ?? 1024;
    this.#blockTokens = options.blockTokens ?? 128;
    this.#capacity = options.capacity ?? 256;
  }

  /** Cached tokens for this prompt given the ones seen before; then remembers it. */
  lookup(prompt: string, promptTokens: number): number {
    let best = 0;
    if (promptTokens >= this.#minTokens) {
      for (const previous of this.#prompts) best = Math.max(best, commonPrefixTokens(prompt, previous));
      // never the whole prompt: the last token is always computed
      best = Math.min(best, promptTokens - 1);
      best = best < this.#minTokens ? 0 : Math.floor(best / this.#blockTokens) * this.#blockTokens;
    }
    this.#prompts.push(prompt);
    if (this.#prompts.length > this.#capacity) this.#prompts.shift();
    return best;
  }
}
