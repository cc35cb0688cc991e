// Findings over time: each recommendation of either window is new (only now), persisting (in
// both) or resolved (only in the baseline).
import type { Report } from "@jotty/engine";
import { findingId } from "./finding-id.js";
import type { FindingOverTime } from "./types.js";

export function findingsOverTime(baseline: Report, current: Report): FindingOverTime[] {
  const before = new Set(baseline.recommendations.map(findingId));
  const now = new Set(current.recommendations.map(findingId));
  const row = (r: Report["recommendations"][number], status: FindingOverTime["status"]): FindingOverTime => ({
    id: findingId(r),
    kind: r.kind,
    target: r.target,
    status,
    estimatedSavingMs: r.estimatedSavingMs,
    estimatedSavingUsd: r.estimatedSavingUsd,
  });
  return [
    ...current.recommendations.map((r) => row(r, before.has(findingId(r)) ? "persisting" : "new")),
    ...baseline.recommendations.filter((r) => !now.has(findingId(r))).map((r) => row(r, "resolved")),
  ];
}
