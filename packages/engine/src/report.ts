// The report contract (`--format json`, schemaVersion 1). Table and markdown render this object.

export type Impact = "critical" | "high" | "medium" | "low";
import type { RecommendationKind } from "./recommendation-kinds.js";

/** The kinds of finding: one per entry of the advisor table (engine/recommendations/registry.ts). */
export type { RecommendationKind };

export interface Report {
  schemaVersion: 1;
  source: { kind: "jaeger" | "prometheus" | "file" | "in-process"; location: string };
  window: { start: string | null; end: string | null }; // RFC 3339
  traces: number;
  spans: number;
  wallMs: number;
  timeDistribution: { component: string; ms: number; share: number }[];
  llm: {
    calls: number;
    ms: number;
    share: number;
    criticalShare: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    costUsd: number;
    byModel: {
      provider: string;
      model: string;
      calls: number;
      inputTokens: number;
      outputTokens: number;
      cacheReadTokens: number;
      costUsd: number;
      p50Ms: number;
      p95Ms: number;
    }[];
  };
  operations: {
    name: string;
    count: number;
    totalMs: number;
    selfMs: number;
    selfShare: number;
    criticalMs: number;
    criticalShare: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    errors: number;
    /**
     * Every span of the operation is below an LLM call (the call's HTTP request, say): its time
     * is the LLM call's. The figures stay Jaeger's; the views label the row as the call's transport.
     */
    llmTransport?: true;
  }[];
  steps: {
    /** gen_ai.workflow.name of the run (invoke_workflow span) holding the step; "" outside one; absent from Prometheus. */
    workflow?: string;
    name: string;
    position: number;
    count: number;
    meanMs: number;
    p95Ms: number;
    share: number;
    meanInputTokens: number;
    timeouts: number;
    retries: number;
    failures: number;
  }[];
  /** Runs: invoke_workflow spans (or whole traces when a trace has none); succeeded = no error, no failed step. */
  runs: { count: number; succeeded: number; successRate: number };
  bottlenecks: { name: string; impact: Impact; share: number; why: string }[];
  /** Findings, largest time saving first; none that saves nothing. */
  recommendations: {
    /** `${kind}:${target}`: the same finding has the same id in every window (baseline comparisons match on it). */
    id: string;
    kind: RecommendationKind;
    target: string;
    /** In the whole window. */
    estimatedSavingMs: number;
    estimatedSavingUsd: number;
    /** The window's saving over its runs (report.runs.count). */
    perRun: { estimatedSavingMs: number; estimatedSavingUsd: number };
    evidence: string;
    /** Why it happens, in one sentence. */
    cause: string;
    /** What to change (per provider where that differs). */
    fix: string;
    /** Up to three spans that show it. */
    examples: { traceId: string; spanId: string }[];
    /** The command that shows the change worked (the finding gone or smaller). */
    validate: string;
  }[];
  /**
   * Failed LLM calls by provider, model and error type, most time lost first (at most `top`
   * rows); absent when no call failed.
   */
  errors?: {
    provider: string;
    model: string;
    /** The provider's error type (error.type), else `HTTP <status>`. */
    type: string;
    /** HTTP status of the answer; 0 when there was none (the connection failed). */
    httpStatus: number;
    count: number;
    /** The failed calls' wall time plus the client's backoff before each retry. */
    lostMs: number;
    /** The backoff part of lostMs. */
    backoffMs: number;
    /** Up to three failed calls. */
    examples: { traceId: string; spanId: string }[];
  }[];
  slowestTraces: { traceId: string; rootName: string; durationMs: number; url: string }[];
  /**
   * The slowest trace's spans for a waterfall (pre-order, children by start; at most
   * WATERFALL_MAX_SPANS = 120), times in ms from the trace's start. Only when asked for
   * (ReportOptions.waterfall; `--format html`), never from Prometheus.
   */
  waterfall?: {
    traceId: string;
    spans: {
      name: string;
      service: string;
      depth: number;
      startMs: number;
      durationMs: number;
      /** llm-transport: a span below an LLM call (its HTTP request), whose time is the call's. */
      kind: "llm" | "llm-transport" | "tool" | "step" | "workflow" | "other";
      error: boolean;
    }[];
    omittedSpans: number;
  };
  /** CPU hot spots per operation, only when spans carry jotty.cpu_profile events (JOTTY_CPU_PROFILE=1). */
  cpuHotspots?: CpuHotspotOperation[];
  warnings: string[];
}

export interface CpuHotspotFunction {
  function: string;
  location: string;
  selfMs: number;
  /** selfMs divided by the operation's total wall time. */
  share: number;
  /** In how many of the operation's segments the function was among the top ones. */
  segments: number;
}

export interface CpuHotspotOperation {
  name: string;
  /** Segments of this operation that carry a CPU profile event. */
  segments: number;
  wallMs: number;
  /** Sampled CPU time inside those segments. */
  cpuMs: number;
  cpuShare: number;
  /** Segments that ran alongside unrelated ones: their samples are shared, so counted twice. */
  overlappingSegments: number;
  topFunctions: CpuHotspotFunction[];
  /** The `.cpuprofile` files the samples come from (open them in Chrome DevTools or speedscope). */
  profiles: string[];
}
