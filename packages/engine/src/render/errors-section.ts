// The errors section as a titled table: top error types by provider and model, their counts and
// the time they lost (the failed calls plus the backoff before the retries), with example spans
// (Jaeger UI links when Jaeger is the source, else trace and span ids).
import type { Report } from "../report.js";
import { formatCount, formatMs } from "./format.js";
import type { Section } from "./sections.js";
import { spanRefText } from "./trace-links.js";

export function errorsSection(report: Report): Section | undefined {
  const rows = report.errors;
  if (rows === undefined || rows.length === 0) return undefined;
  return {
    title: "Errors (failed LLM calls)",
    head: ["Provider", "Model", "Error", "Status", "Calls", "Time lost", "Backoff", "Examples"],
    align: ["left", "left", "left", "right", "right", "right", "right", "left"],
    rows: rows.map((e) => [
      e.provider,
      e.model,
      e.type,
      e.httpStatus > 0 ? String(e.httpStatus) : "–",
      formatCount(e.count),
      formatMs(e.lostMs),
      e.backoffMs > 0 ? formatMs(e.backoffMs) : "–",
      e.examples.length > 0 ? e.examples.map((x) => spanRefText(report, x)).join(", ") : "–",
    ]),
    flex: [1, 2, 7],
    detailColumn: 7,
  };
}
