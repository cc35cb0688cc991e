import type { Report } from "../../report.js";

export type Recommendation = Report["recommendations"][number];

export const examplesText = (traceIds: readonly string[]): string =>
  traceIds.length > 0 ? `; e.g. trace ${traceIds.join(", ")}` : "";

export function addExample(examples: string[], traceId: string, max: number): void {
  if (examples.length < max && !examples.includes(traceId)) examples.push(traceId);
}
