import { metrics, type Attributes, type Counter, type Histogram, type MeterProvider } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_TOKEN_TYPE,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_JOTTY_LLM_COST,
} from "@jotty/engine/semconv";
import { INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION } from "../segments/tracer.js";

// Bucket advice from the GenAI semantic conventions (client metrics).
export const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

interface Instruments {
  /** No SDK listens (the API's no-op meter): nothing is worth building attributes for. */
  noop: boolean;
  duration: Histogram;
  tokens: Histogram;
  timeToFirstChunk: Histogram;
  cost: Counter;
}

let instrumentsProvider: MeterProvider | undefined;
let instruments: Instruments | undefined;

// The metrics API has no proxy provider: instruments made before the SDK registers stay no-ops,
// so they are (re)made whenever the global MeterProvider changes.
function getInstruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (instruments !== undefined && provider === instrumentsProvider) return instruments;
  const meter = provider.getMeter(INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION);
  instrumentsProvider = provider;
  const duration = meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
    description: "GenAI operation duration",
    unit: "s",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const tokens = meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
    description: "Number of input and output tokens used",
    unit: "{token}",
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  });
  instruments = {
    // The API's no-op meter hands out one shared instrument for every histogram; an SDK never does.
    noop: tokens === duration,
    duration,
    tokens,
    timeToFirstChunk: meter.createHistogram(METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK, {
      description: "Time to receive the first chunk of a streamed GenAI response",
      unit: "s",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    cost: meter.createCounter(METRIC_JOTTY_LLM_COST, {
      description: "Cost of LLM calls in US dollars",
      unit: "USD",
    }),
  };
  return instruments;
}

/** Whether anything records the LLM call metrics (false with no MeterProvider registered). */
export function llmMetricsRecorded(): boolean {
  return !getInstruments().noop;
}

export interface LlmCallMeasurement {
  attributes: Attributes;
  /** Set when the call failed; only on the duration histogram, as the conventions list it. */
  errorType?: string;
  durationSeconds: number;
  inputTokens?: number;
  outputTokens?: number;
  timeToFirstChunkSeconds?: number;
  costUsd?: number;
}

export function recordLlmCallMetrics(m: LlmCallMeasurement): void {
  const inst = getInstruments();
  inst.duration.record(m.durationSeconds, m.errorType === undefined ? m.attributes : { ...m.attributes, [ATTR_ERROR_TYPE]: m.errorType });
  if (m.inputTokens !== undefined) {
    inst.tokens.record(m.inputTokens, { ...m.attributes, [ATTR_GEN_AI_TOKEN_TYPE]: "input" });
  }
  if (m.outputTokens !== undefined) {
    inst.tokens.record(m.outputTokens, { ...m.attributes, [ATTR_GEN_AI_TOKEN_TYPE]: "output" });
  }
  if (m.timeToFirstChunkSeconds !== undefined) inst.timeToFirstChunk.record(m.timeToFirstChunkSeconds, m.attributes);
  if (m.costUsd !== undefined && m.costUsd > 0) inst.cost.add(m.costUsd, m.attributes);
}
