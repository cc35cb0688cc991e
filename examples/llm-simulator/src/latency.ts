export interface LatencyModel {
  /** Fixed cost of a request (queueing, first token), ms. */
  baseMs: number;
  /** Prefill cost per prompt token, ms. */
  perInputTokenMs: number;
  /** Decode cost per generated token, ms. */
  perOutputTokenMs: number;
}

/** Defaults that put the seed's calls (a few hundred to a few thousand prompt tokens, 300–600 output tokens) at 8–15 s. */
export const DEFAULT_LATENCY: LatencyModel = { baseMs: 5_500, perInputTokenMs: 1, perOutputTokenMs: 10 };

export interface Timing {
  /** Until the first chunk (base + prefill), ms, already scaled. */
  firstChunkMs: number;
  /** The whole response, ms, already scaled. */
  totalMs: number;
}

export function responseTiming(model: LatencyModel, inputTokens: number, outputTokens: number, timeScale: number): Timing {
  const firstChunkMs = (model.baseMs + model.perInputTokenMs * inputTokens) * timeScale;
  return { firstChunkMs, totalMs: firstChunkMs + model.perOutputTokenMs * outputTokens * timeScale };
}
