// Slices the profile by one segment's time window: its top functions by self time.
import type { ProfileTimeline } from "./timeline.js";
import type { CpuTopFunction } from "./types.js";

export interface WindowSlice {
  sampleFirst: number;
  sampleLast: number;
  cpuSamples: number;
  cpuMs: number;
  topFunctions: CpuTopFunction[];
}

/** `startUs`/`endUs` on the profile's (monotonic) clock. */
export function sliceWindow(timeline: ProfileTimeline, startUs: number, endUs: number, top: number): WindowSlice {
  const [first, end] = timeline.range(startUs, endUs);
  const selfUs = new Map<number, number>();
  let cpuSamples = 0;
  let cpuUs = 0;
  for (let i = first; i < end; i++) {
    if (timeline.isIdle(i) || timeline.isOwn(i)) continue;
    const us = timeline.durationUs(i);
    const fn = timeline.functionOf(i);
    selfUs.set(fn, (selfUs.get(fn) ?? 0) + us);
    cpuSamples++;
    cpuUs += us;
  }
  const durationUs = Math.max(endUs - startUs, 1);
  const topFunctions = [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]): CpuTopFunction => {
      const info = timeline.functions[fn]!;
      return { function: info.name, location: info.location, selfMs: round(us / 1000), share: round(us / durationUs) };
    });
  return { sampleFirst: first, sampleLast: end - 1, cpuSamples, cpuMs: round(cpuUs / 1000), topFunctions };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
