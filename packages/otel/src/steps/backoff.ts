import type { BackoffOptions } from "./types.js";

const DEFAULT_BASE_MS = 250;
const DEFAULT_MAX_MS = 5_000;
const DEFAULT_JITTER = 0.5;

/** Delay before retry number `retry` (1 = first retry): exponential, capped, jittered downwards. */
export function backoffDelayMs(retry: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? DEFAULT_BASE_MS;
  const max = options.maxMs ?? DEFAULT_MAX_MS;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_JITTER));
  const exponential = Math.min(max, base * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential * (1 - jitter * random()));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts (the timer is cleared). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
