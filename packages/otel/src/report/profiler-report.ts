// What PerformanceProfiler.getReport() returns: the engine's report plus the in-process views.
import type { Report } from "@jotty/engine";
import type { SegmentTreeNode } from "./segment-tree.js";

/** Per segment name: the engine's operation statistics plus the mean. */
export interface SegmentStats {
  name: string;
  count: number;
  totalMs: number;
  selfMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Share of the summed self time; all shares add up to at most 100 %. */
  selfShare: number;
  /** Share of the critical path (Jaeger UI semantics). */
  criticalShare: number;
  errors: number;
}

export interface ProfilerReport {
  /** Wall time of the traces seen (ms): the sum over traces of each trace's extent. */
  wallMs: number;
  spans: number;
  droppedSpans: number;
  tree: SegmentTreeNode[];
  segments: SegmentStats[];
  bottlenecks: Report["bottlenecks"];
  llm: Report["llm"];
  recommendations: Report["recommendations"];
  /**
   * CPU hot spots per segment name, only while the CPU profiler runs (JOTTY_CPU_PROFILE=1 or
   * startCpuProfiler()): top functions by self time, and how many segments overlapped others.
   */
  cpuHotspots?: NonNullable<Report["cpuHotspots"]>;
  /** The analyzer engine's full report (what `pnpm analyze --format json` prints for these spans). */
  report: Report;
}
