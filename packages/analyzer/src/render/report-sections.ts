// Every section a view shows: the engine's, then the analyzer's comparison and slow-vs-fast.
import { sections, type Section } from "@jotty/engine";
import { comparisonSections, slowVsFastSections } from "../compare/sections.js";
import type { AnalyzedReport } from "../compare/types.js";

export function reportSections(report: AnalyzedReport, top?: number): Section[] {
  return [...sections(report, top), ...comparisonSections(report), ...slowVsFastSections(report)];
}
