// --source prometheus: the aggregate breakdown from the collector's span metrics, for windows
// too large to pull as traces: the queries (prometheus-queries.ts), then their mapping onto the
// report (prometheus-report.ts).
import type { Report } from "@jotty/engine";
import { querySpanMetrics, type PrometheusOptions } from "./prometheus-queries.js";
import { reportFromSpanMetrics } from "./prometheus-report.js";

export type { PrometheusOptions } from "./prometheus-queries.js";

export async function readPrometheusReport(options: PrometheusOptions): Promise<Report> {
  return reportFromSpanMetrics(await querySpanMetrics(options), options);
}
