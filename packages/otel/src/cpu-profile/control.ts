// Starting, stopping and reading the process-wide CPU profiler, without the report formatting
// (index.ts adds it): start() imports this, and the formatter pulls in the engine's text renderers.
import { addSpanProcessor } from "../sdk/processor-registry.js";
import { CpuProfiler } from "./profiler.js";
import type { CpuHotspots, CpuProfilerOptions } from "./types.js";
import { warnOnce } from "./warn.js";

const KEY = Symbol.for("@jotty/otel.cpu-profiler");
interface Slot {
  profiler?: CpuProfiler;
  detach?: () => void;
  onExit?: () => void;
}
const slot: Slot = ((globalThis as Record<symbol, Slot>)[KEY] ??= {});

/** JOTTY_CPU_PROFILE set to 1/true/on. */
export function cpuProfileRequested(): boolean {
  return /^(1|true|on|yes)$/i.test(process.env.JOTTY_CPU_PROFILE ?? "");
}

/**
 * Starts the process-wide CPU profiler (idempotent: a second call returns the running one) and
 * attaches it to the SDK's span pipeline. Returns undefined (after one line on stderr) when the
 * V8 inspector is unavailable. The file is written by stopCpuProfiler(), by every
 * forceFlush of the SDK, and at process exit.
 */
export function startCpuProfiler(options: CpuProfilerOptions = {}): CpuProfiler | undefined {
  if (slot.profiler?.running) return slot.profiler;
  let profiler: CpuProfiler;
  try {
    profiler = new CpuProfiler(options);
  } catch (error) {
    warnOnce(`not started: ${(error as Error).message}`);
    return undefined;
  }
  slot.profiler = profiler;
  slot.detach = options.attach === false ? undefined : addSpanProcessor(profiler);
  slot.onExit = () => {
    try {
      stopCpuProfiler();
    } catch {
      // Nothing useful to do while the process exits.
    }
  };
  process.once("exit", slot.onExit);
  return profiler;
}

/** Stops the profiler, writes the `.cpuprofile` and returns its path (undefined if none ran). */
export function stopCpuProfiler(): string | undefined {
  const profiler = slot.profiler;
  if (!profiler) return undefined;
  slot.detach?.();
  if (slot.onExit) process.off("exit", slot.onExit);
  slot.detach = slot.onExit = undefined;
  return profiler.stop();
}

/** The running (or last) CPU profiler of this process. */
export function getCpuProfiler(): CpuProfiler | undefined {
  return slot.profiler;
}

/** Top functions by self time of an ended INTERNAL span (a segment), by span id. */
export function getCpuHotspots(spanId: string): CpuHotspots | undefined {
  return slot.profiler?.getHotspots(spanId);
}

/**
 * Gives every segment that has ended its CPU slice now (synchronously), e.g. before building an
 * in-process report from the spans. Does nothing when the profiler is off; never throws.
 */
export function flushCpuHotspots(): void {
  const profiler = slot.profiler;
  if (!profiler?.running) return;
  try {
    profiler.read();
  } catch {
    // the scheduled read will try again; the report simply lacks these slices
  }
}
