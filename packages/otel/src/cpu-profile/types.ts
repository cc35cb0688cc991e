// Shapes of the V8 CPU profile (Chrome DevTools / speedscope `.cpuprofile`) and of the per-segment
// results the CPU profiler attaches to spans.

export interface CpuProfileCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number; // 0-based
  columnNumber: number; // 0-based
}

export interface CpuProfileNode {
  id: number;
  callFrame: CpuProfileCallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

/** The `.cpuprofile` JSON: times in microseconds on V8's monotonic clock. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuTopFunction {
  /** Function name, `(anonymous)` when V8 has none. */
  function: string;
  /** `file:line` (1-based line), or `(native)` for VM entries such as the garbage collector. */
  location: string;
  selfMs: number;
  /** selfMs divided by the segment's wall duration. */
  share: number;
}

export interface CpuHotspots {
  spanId: string;
  traceId: string;
  name: string;
  durationMs: number;
  /** Samples in the segment's window that were not idle. */
  cpuSamples: number;
  /** Sampled CPU time (self time of all non-idle samples) inside the window. */
  cpuMs: number;
  /** Index range into the written profile's `samples` (inclusive); first > last when empty. */
  sampleFirst: number;
  sampleLast: number;
  /** Another segment that is neither ancestor nor descendant ran at the same time: samples are shared. */
  overlapping: boolean;
  topFunctions: CpuTopFunction[];
  profilePath: string;
}

export interface CpuProfilerOptions {
  /** V8 sampling interval in microseconds. Default 1000, or JOTTY_CPU_PROFILE_INTERVAL_US. */
  samplingIntervalUs?: number;
  /** Directory of the `.cpuprofile` file. Default JOTTY_CPU_PROFILE_DIR or ./.jotty/profiles. */
  dir?: string;
  /** Used in the file name. Default OTEL_SERVICE_NAME, else the app's package.json name. */
  serviceName?: string;
  /** How many functions each segment keeps. Default 10. */
  topFunctions?: number;
  /**
   * Share of wall time that reading the profile after segments end may use (bursts up to 20 ms).
   * Within budget a read runs 2 ms after a segment ends; over budget, up to 100 ms later.
   * Default 0.005; 1 never waits for budget; 0 reads only at flush, stop and getHotspots.
   */
  readBudget?: number;
  /**
   * Samples kept in memory per file; when reached, the file is written and the next one
   * (`…-2.cpuprofile`, …) begins. Idle stretches take one sample each. Default 2 000 000
   * (about 25 MB, half an hour of fully busy CPU at 1 ms).
   */
  maxSamplesPerFile?: number;
  /** Attach the span processor to the SDK's fan-out processor. Default true. */
  attach?: boolean;
}
