export type { LlmUsage, LlmResponseInfo, LlmOperation, LlmCallOptions, LlmCallHandle } from "./llm/types.js";

// SDK set-up (also `import "@jotty/otel/register"`)
export { start, shutdown, type StartOptions } from "./wiring/start.js";
export { addSpanProcessor } from "./sdk/processor-registry.js";
export { getExportStats, type ExportStats } from "./sdk/export-stats.js";

// Redaction of credentials (start() installs the processor; add it yourself with your own SDK)
export { RedactingSpanProcessor } from "./redaction/redacting-span-processor.js";
export type { RedactOptions } from "./redaction/settings.js";

// Profiling segments
export { profile } from "./segments/profile.js";
export { profileFunction, profiled } from "./segments/profile-function.js";
export { profiler, segment, type Segment } from "./segments/segment.js";
export {
  PerformanceProfiler,
  type PerformanceProfilerOptions,
  type ProfilerReport,
  type SegmentStats,
} from "./report/performance-profiler.js";
export type { SegmentTreeNode } from "./report/segment-tree.js";

// LLM calls, tools, cost
export { llmCall, startLlmCall, getActiveLlmCall, type ActiveLlmCall } from "./llm/llm-call.js";
export { toolCall } from "./llm/tool-call.js";
export {
  usageFromOpenAIChat,
  usageFromOpenAIResponses,
  usageFromAnthropic,
  usageFromGemini,
  usageFromBedrock,
} from "./llm/usage-adapters.js";
export { priceUsage, priceRates, type TokenRates } from "./llm/pricing.js";
export { setPriceOverrides, type PriceOverride, type PriceOverrides } from "./llm/price-overrides.js";

// Step runner: per-step timeouts, retries, progress
export * from "./steps/index.js";

// Zero-code LLM capture over fetch (start() installs it unless JOTTY_CAPTURE_FETCH=false)
export { installFetchCapture, isFetchCaptureInstalled, type FetchCaptureOptions } from "./capture/index.js";

// CPU profile (the cProfile of Jotty): JOTTY_CPU_PROFILE=1 or startCpuProfiler()
export {
  startCpuProfiler,
  stopCpuProfiler,
  getCpuProfiler,
  getCpuHotspots,
  flushCpuHotspots,
  cpuProfileRequested,
  CpuProfiler,
  formatCpuHotspots,
  type CpuHotspots,
  type CpuProfile,
  type CpuProfilerOptions,
  type CpuTopFunction,
} from "./cpu-profile/index.js";
