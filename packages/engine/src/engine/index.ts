export type { Span } from "../model.js";
export { buildTraces, type SpanTrace, type TraceNode } from "./build-traces.js";
export {
  buildReport,
  createReportBuilder,
  createPartBuilder,
  type ReportBuilder,
  type PartReportBuilder,
  type PartEdges,
  type HeldTrace,
  type BuilderState,
} from "./report-builder.js";
export { PartsNotMergeable } from "./merge-state.js";
export type { ReportOptions, PriceLookup, ModelRates } from "./options.js";
export {
  RunRecorder,
  DEFAULT_MAX_RUNS,
  stepKey,
  modelKey,
  type RunRecord,
  type RunPart,
  type RunStepPart,
  type RunModelPart,
  type RunToolPart,
  type TraceObserver,
} from "./run-records.js";
export { impactOf } from "./bottlenecks.js";
export {
  IMPACT_LEVELS,
  BOTTLENECK_MIN_SHARE,
  DEFAULT_TOP,
  DEFAULT_MAX_PENDING_SPANS,
  CLOCK_TOLERANCE_MS,
  SMALL_OUTPUT_TOKENS,
  CHEAPER_MODEL_MAX_COST_RATIO,
  CONTEXT_GROWTH_FACTOR,
  CHEAPER_MODELS,
} from "./constants.js";
export { catalogPrices, catalogProviderId } from "./catalog-prices.js";
export { mergedCallsWarning, callsWithoutUsageWarning, crossTraceMergedWarning } from "./warnings.js";
export { cpuHotspotsByOperation, type CpuHotspotOptions } from "./cpu-hotspots.js";
export { findingId, VALIDATE_COMMAND } from "./recommendations/findings.js";
export { RECOMMENDATION_KINDS } from "../recommendation-kinds.js";
