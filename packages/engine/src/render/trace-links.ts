// Links into Jaeger UI, only when Jaeger is the source: a report read from a file names its
// traces and spans by id instead of linking to a UI that may never have seen them.
import type { Report } from "../report.js";

export interface SpanRef {
  traceId: string;
  spanId: string;
}

/** The Jaeger UI base of the report's source; "" unless the source is Jaeger at an http(s) URL. */
export function jaegerUiBase(report: Pick<Report, "source">): string {
  if (report.source.kind !== "jaeger") return "";
  const base = report.source.location.replace(/\/+$/, "");
  return /^https?:\/\//.test(base) ? base : "";
}

/** The span in Jaeger UI (the trace, with the span found), or "" when the source is not Jaeger. */
export function spanUrl(report: Pick<Report, "source">, ref: SpanRef): string {
  const base = jaegerUiBase(report);
  if (base === "") return "";
  return `${base}/trace/${encodeURIComponent(ref.traceId)}?uiFind=${encodeURIComponent(ref.spanId)}`;
}

/** How a text view names an example: its Jaeger UI link, else its trace and span ids. */
export const spanRefText = (report: Pick<Report, "source">, ref: SpanRef): string => spanUrl(report, ref) || `trace ${ref.traceId} span ${ref.spanId}`;
