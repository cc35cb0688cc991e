import { setImmediate as nextMacrotask } from "node:timers/promises";
import type { StepOutcome } from "./types.js";

export interface AttemptResult<T> {
  outcome: StepOutcome;
  result?: T;
  error?: unknown;
  durationMs: number;
  /** The caller's signal aborted the attempt. */
  cancelled: boolean;
  /** The attempt did not settle after its signal aborted and was left running. */
  abandoned: boolean;
}

export interface AttemptHooks {
  onTimeout(): void;
  onAbandoned(reason: "timeout" | "cancelled"): void;
}

const ABORTED = Symbol("aborted");
const MAX_TIMER_MS = 2 ** 31 - 1;
const STILL_RUNNING = Symbol("still running");

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function timeoutError(stepName: string, timeoutMs: number): DOMException {
  return new DOMException(`step "${stepName}" timed out after ${timeoutMs} ms`, "TimeoutError");
}

/**
 * Runs one attempt with its own deadline. The attempt's signal aborts at the deadline or when the
 * caller's signal aborts; the runner then stops waiting even if `fn` ignores the signal.
 */
export async function runAttempt<T>(
  stepName: string,
  fn: (signal: AbortSignal) => T | Promise<T>,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  hooks: AttemptHooks,
): Promise<AttemptResult<T>> {
  const started = performance.now();
  const deadline = new AbortController();
  const signal = callerSignal ? AbortSignal.any([deadline.signal, callerSignal]) : deadline.signal;
  let timedOut = false;
  // setTimeout fires at once for delays past 2^31−1 ms; treat those (and Infinity) as no deadline
  const timer =
    timeoutMs <= MAX_TIMER_MS
      ? setTimeout(() => {
          timedOut = true;
          hooks.onTimeout();
          deadline.abort(timeoutError(stepName, timeoutMs));
        }, timeoutMs)
      : undefined;

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener("abort", onAbort, { once: true });
  });

  let settledValue: Settled<T> | undefined;
  const settled: Promise<Settled<T>> = (async () => fn(signal))().then(
    (value) => (settledValue = { ok: true, value }),
    (error: unknown) => (settledValue = { ok: false, error }),
  );

  let abandoned = false;
  let interrupted = false;
  try {
    const first = await Promise.race([settled, aborted]);
    interrupted = first === ABORTED;
    if (interrupted && !settledValue) {
      // A step that honours its signal rejects within the current macrotask (fetch does);
      // one that has not settled by the next one is ignoring it, and the runner moves on.
      const second = await Promise.race([settled, nextMacrotask(STILL_RUNNING)]);
      if (second === STILL_RUNNING) {
        abandoned = true;
        hooks.onAbandoned(timedOut ? "timeout" : "cancelled");
      }
    }
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }

  const durationMs = performance.now() - started;
  const cancelled = interrupted && !timedOut;
  if (interrupted && timedOut) {
    return { outcome: "timeout", error: deadline.signal.reason, durationMs, cancelled: false, abandoned };
  }
  if (cancelled) {
    return { outcome: "error", error: callerSignal?.reason, durationMs, cancelled: true, abandoned };
  }
  const outcome = settledValue as Settled<T>;
  return outcome.ok
    ? { outcome: "ok", result: outcome.value, durationMs, cancelled: false, abandoned }
    : { outcome: "error", error: outcome.error, durationMs, cancelled: false, abandoned };
}
