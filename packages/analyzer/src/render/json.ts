// `--format json`: the report contract (schemaVersion 1), keys in the order report.ts declares.
import type { Report } from "@jotty/engine";

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
