import { diag } from "@opentelemetry/api";
import type { AggregationOption, AggregationTemporality, InstrumentType } from "@opentelemetry/sdk-metrics";
import { envString } from "./env.js";
import { loadSync } from "./load-sync.js";

type SdkMetrics = typeof import("@opentelemetry/sdk-metrics");

// The OTLP metric exporter's choices (@opentelemetry/exporter-metrics-otlp-http's
// OTLPMetricExporterBase), written out here because the metric reader asks for them as each
// instrument is created, at start-up, while the exporter's packages load with the first export.

/** OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: cumulative (default), delta or lowmemory. */
export function temporalitySelectorFromEnv(): (type: InstrumentType) => AggregationTemporality {
  const { AggregationTemporality, InstrumentType } = loadSync<SdkMetrics>("@opentelemetry/sdk-metrics");
  const DELTA = new Set([
    InstrumentType.COUNTER,
    InstrumentType.OBSERVABLE_COUNTER,
    InstrumentType.GAUGE,
    InstrumentType.HISTOGRAM,
    InstrumentType.OBSERVABLE_GAUGE,
  ]);
  const LOW_MEMORY_DELTA = new Set([InstrumentType.COUNTER, InstrumentType.HISTOGRAM]);
  const preference = (envString("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE") ?? "cumulative").toLowerCase();
  const deltaTypes = preference === "delta" ? DELTA : preference === "lowmemory" ? LOW_MEMORY_DELTA : undefined;
  if (deltaTypes === undefined && preference !== "cumulative") {
    diag.warn(
      `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE is set to '${preference}', but only 'cumulative' and 'delta' are allowed. Using default ('cumulative') instead.`,
    );
  }
  return (type) => (deltaTypes?.has(type) ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE);
}

let defaultOption: AggregationOption | undefined;

export function defaultAggregation(): AggregationOption {
  return (defaultOption ??= Object.freeze({ type: loadSync<SdkMetrics>("@opentelemetry/sdk-metrics").AggregationType.DEFAULT }));
}
