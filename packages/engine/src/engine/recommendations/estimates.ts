// Estimates the detectors share.

import { PREFILL_MS_PER_TOKEN } from "../constants.js";

/** Bytes per token of the capture's estimates (jotty.llm.prompt.prefix_tokens); the same rule of thumb. */
export const BYTES_PER_TOKEN = 4;

/**
 * Time a call would save without `tokens` of its input: PREFILL_MS_PER_TOKEN each, but never
 * more than their share of the call's measured duration (a fast server, a small model).
 */
export function prefillSavingNs(tokens: number, inputTokens: number, durationNs: number): number {
  const byRate = tokens * PREFILL_MS_PER_TOKEN * 1e6;
  const byShare = inputTokens > 0 ? (durationNs * Math.min(tokens, inputTokens)) / inputTokens : byRate;
  return Math.max(0, Math.min(byRate, byShare));
}
