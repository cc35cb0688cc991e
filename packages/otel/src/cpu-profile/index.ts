// The CPU profiler of @jotty/otel (the cProfile of Jotty): opt-in with JOTTY_CPU_PROFILE=1 (start()
// calls startCpuProfiler) or by calling startCpuProfiler() yourself.
export { cpuProfileRequested, flushCpuHotspots, getCpuHotspots, getCpuProfiler, startCpuProfiler, stopCpuProfiler } from "./control.js";
export { CpuProfiler } from "./profiler.js";
export { formatCpuHotspots } from "./format.js";
export type { CpuHotspots, CpuProfile, CpuProfilerOptions, CpuTopFunction } from "./types.js";
