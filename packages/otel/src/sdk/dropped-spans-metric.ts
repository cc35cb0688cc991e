import { metrics } from "@opentelemetry/api";
import { exportStatsRecord } from "./export-stats.js";

export const METRIC_JOTTY_OTEL_DROPPED_SPANS = "jotty.otel.dropped_spans";

/** Publishes the dropped-span count as a cumulative counter on the global meter provider. */
export function registerDroppedSpansMetric(): void {
  metrics
    .getMeter("@jotty/otel")
    .createObservableCounter(METRIC_JOTTY_OTEL_DROPPED_SPANS, {
      description: "Spans @jotty/otel could not deliver to the OTLP endpoint",
      unit: "{span}",
    })
    .addCallback((result) => result.observe(exportStatsRecord().droppedSpans));
}
