export interface ExitFlusher {
  /**
   * Gives segments that just ended their CPU slice, then writes buffered spans to the traces
   * file, synchronously (cheap: first thing on a signal).
   */
  flushFile(): void;
  /** Every synchronous flush (CPU slices, file, a blocking OTLP post): for the "exit" hook only. */
  flushSync(options: { budgetMs: number }): void;
  /**
   * Flushes the in-process processors first (the CPU profiler writes slices onto the spans), then
   * every span and metric pipeline; must settle (the caller bounds it by a timeout).
   */
  flushAsync(): Promise<void>;
  /** Whether spans have ended since the last flush began. */
  hasUnflushedSpans(): boolean;
  /** False while nothing was made that a flush could write or send (no span, no metric). */
  hasWork(): boolean;
}

import { endOpenCalls } from "../llm/open-calls.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
type ExitSignal = (typeof SIGNALS)[number];

/**
 * Flush on every way a Node process ends, keeping the app's behaviour:
 * - normal end ("beforeExit"): async flush bounded by timeoutMs, then the process ends by itself;
 * - process.exit() and uncaught errors ("exit"): only synchronous work can run there, see flushSync;
 * - SIGINT/SIGTERM: bounded flush; if the app has its own listener it decides what happens next,
 *   otherwise our listener removes itself and re-sends the signal so the process ends by the
 *   signal as it would have without us (exit status 128 + signal number, no "exit" event).
 * Returns a function that removes the hooks.
 */
export function installExitHooks(flusher: ExitFlusher, timeoutMs: number): () => void {
  let flushing: Promise<void> | undefined;
  let flushedOnce = false;
  let timedOut = false;
  let firstFlushAt: number | undefined;
  // What is left of the one bound shared by every flush of this exit.
  const budget = () => (timedOut ? 0 : Math.max(0, timeoutMs - (firstFlushAt === undefined ? 0 : performance.now() - firstFlushAt)));

  const boundedFlush = (keepAlive: boolean): Promise<void> => {
    firstFlushAt ??= performance.now();
    flushing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeoutMs);
      if (!keepAlive) timer.unref();
      flusher.flushAsync().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    }).finally(() => {
      flushedOnce = true;
      flushing = undefined;
    });
    return flushing;
  };

  const onBeforeExit = () => {
    // The event loop is empty: nothing will read the open responses any further.
    endOpenCalls();
    if (!flusher.hasWork() || flushing || (flushedOnce && !flusher.hasUnflushedSpans())) return;
    void boundedFlush(true).then(() => {
      // The exporter may still hold a retry timer: do not let it outlive the bound.
      if (timedOut) process.exit();
    });
  };

  const onExit = () => {
    endOpenCalls();
    flusher.flushSync({ budgetMs: budget() });
  };

  const signalHandlers = new Map<ExitSignal, () => void>();
  for (const signal of SIGNALS) {
    let received = false;
    const handler = () => {
      if (appHandles(signal)) {
        flusher.flushFile();
        void boundedFlush(false);
        return;
      }
      // The process ends by this signal: end the calls in flight before anything is written.
      endOpenCalls();
      flusher.flushFile();
      if (received) return reraise(signal, handler); // a second signal: stop waiting
      received = true;
      void boundedFlush(true).then(() => {
        // The app may have added its own listener while we flushed: then it decides.
        if (appHandles(signal)) return;
        flusher.flushSync({ budgetMs: budget() });
        reraise(signal, handler);
      });
    };
    signalHandlers.set(signal, handler);
    process.on(signal, handler);
  }
  process.on("beforeExit", onBeforeExit);
  process.on("exit", onExit);

  return () => {
    process.off("beforeExit", onBeforeExit);
    process.off("exit", onExit);
    for (const [signal, handler] of signalHandlers) process.off(signal, handler);
  };
}

/**
 * Whether a listener other than ours and signal-exit's is installed. signal-exit (loaded by
 * log-update's cursor handling on a TTY, among many others) re-sends the signal only when it is
 * alone; counting it as the app's would leave both of us waiting and the process running.
 */
function appHandles(signal: ExitSignal): boolean {
  return process.listenerCount(signal) - 1 - signalExitListeners() > 0;
}

function signalExitListeners(): number {
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[Symbol.for("signal-exit emitter")];
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__;
  return (typeof v4?.count === "number" ? v4.count : 0) + (typeof v3?.count === "number" ? v3.count : 0);
}

function reraise(signal: ExitSignal, handler: () => void): void {
  process.off(signal, handler);
  // Only signal-exit's listeners can be left here (appHandles was false). A re-sent signal would
  // reach them a turn of the event loop later, a turn in which the app can end spans that no flush
  // writes any more; hand the signal to them now instead: their cleanup runs and they re-send it.
  const rest = process.listeners(signal);
  if (rest.length === 0) process.kill(process.pid, signal);
  else for (const listener of rest) listener(signal);
}
