import { createLogUpdate } from "log-update";
import type { ProgressMode, StepOutcome, StepProgressEvent } from "./types.js";

export interface ProgressReporter {
  handle(event: StepProgressEvent): void;
  close(): void;
}

const NOOP: ProgressReporter = { handle() {}, close() {} };
const TICK_MS = 100;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const OUTCOME_MARK: Record<StepOutcome, string> = { ok: "✔", timeout: "⏱", error: "✖" };

export function createProgressReporter(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  // a pseudo-terminal without a size (columns 0) cannot be redrawn in place: use plain lines
  const resolved = mode === "auto" ? (stream.isTTY && (stream.columns ?? 0) > 0 ? "tty" : "plain") : mode;
  if (resolved === "off") return NOOP;
  if (resolved === "plain") return plainReporter(stream);
  return liveReporter(stream);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One line per event, for logs and pipes. */
function plainReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let total = 0;
  return {
    handle(event) {
      const line = plainLine(event, total);
      if (event.type === "run-start") total = event.steps.length;
      if (line) stream.write(`${line}\n`);
    },
    close() {},
  };
}

function plainLine(event: StepProgressEvent, total: number): string | undefined {
  const prefix = `[${event.run}]`;
  switch (event.type) {
    case "run-start":
      return `${prefix} ${event.steps.length} steps: ${event.steps.join(", ")}`;
    case "run-end":
      return `${prefix} ${event.cancelled ? "cancelled" : event.ok ? "done" : "failed"} in ${seconds(event.durationMs)}`;
    default: {
      const step = `${prefix} step ${event.index + 1}/${total} ${event.step}`;
      switch (event.type) {
        case "attempt-start":
          return `${step}: attempt ${event.attempt} started (timeout ${seconds(event.timeoutMs)})`;
        case "timeout":
          return `${step}: attempt ${event.attempt} timed out after ${seconds(event.timeoutMs)}, aborting it`;
        case "abandoned":
          return `${step}: attempt ${event.attempt} ignored its abort signal; moving on without waiting for it`;
        case "attempt-end":
          return event.outcome === "ok"
            ? undefined // the step-end line says it
            : `${step}: attempt ${event.attempt} ${event.outcome} after ${seconds(event.durationMs)}${event.error ? `: ${event.error}` : ""}`;
        case "retry":
          return `${step}: retrying in ${event.delayMs} ms (attempt ${event.attempt + 1})`;
        case "step-end":
          return `${step}: ${event.outcome} after ${seconds(event.durationMs)} (${event.attempts} attempt${event.attempts === 1 ? "" : "s"})`;
      }
    }
  }
}

interface LiveStep {
  name: string;
  state: "pending" | "running" | "waiting" | StepOutcome;
  attempt: number;
  startedAt?: number;
  durationMs?: number;
  note?: string;
}

/** A live line per step, redrawn in place (log-update), with elapsed time ticking. */
function liveReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const log = createLogUpdate(stream);
  let run = "";
  let steps: LiveStep[] = [];
  let frame = 0;
  let ticker: NodeJS.Timeout | undefined;

  const render = () => {
    frame = (frame + 1) % SPINNER.length;
    const now = performance.now();
    const width = Math.max(...steps.map((s) => s.name.length), 4);
    const lines = steps.map((s, i) => {
      const mark = s.state === "pending" ? "·" : s.state === "running" || s.state === "waiting" ? SPINNER[frame] : OUTCOME_MARK[s.state];
      const elapsed = s.durationMs !== undefined ? seconds(s.durationMs) : s.startedAt !== undefined ? seconds(now - s.startedAt) : "";
      const attempt = s.attempt > 0 ? `attempt ${s.attempt}` : "";
      return `  ${mark} ${i + 1}/${steps.length} ${s.name.padEnd(width)}  ${attempt.padEnd(9)}  ${elapsed.padStart(6)}  ${s.state}${s.note ? ` — ${s.note}` : ""}`;
    });
    log([`${run}`, ...lines].join("\n"));
  };

  return {
    handle(event) {
      if (event.type === "run-start") {
        run = event.run;
        steps = event.steps.map((name) => ({ name, state: "pending", attempt: 0 }));
        ticker ??= setInterval(render, TICK_MS);
      } else if (event.type === "run-end") {
        run = `${event.run}: ${event.cancelled ? "cancelled" : event.ok ? "done" : "failed"} in ${seconds(event.durationMs)}`;
      } else {
        const s = steps[event.index];
        if (!s) return;
        s.attempt = event.attempt;
        switch (event.type) {
          case "attempt-start":
            s.state = "running";
            s.startedAt ??= performance.now();
            s.note = undefined;
            break;
          case "timeout":
            s.note = `timed out after ${seconds(event.timeoutMs)}`;
            break;
          case "abandoned":
            s.note = "ignored its abort signal, left behind";
            break;
          case "retry":
            s.state = "waiting";
            s.note = `retry in ${event.delayMs} ms`;
            break;
          case "step-end":
            s.state = event.outcome;
            s.durationMs = event.durationMs;
            if (event.outcome === "ok") s.note = event.attempts > 1 ? `after ${event.attempts} attempts` : undefined;
            break;
          case "attempt-end":
            break;
        }
      }
      render();
    },
    close() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      log.done();
    },
  };
}
