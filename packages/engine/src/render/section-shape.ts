// Reshaping a section for a view: long explanations out of the table into numbered notes, and
// columns removed, keeping the section's column markers right.
import type { Section } from "./sections.js";

/** Long explanations leave the table for numbered notes below it, so the table fits a terminal. */
export function splitDetails(section: Section): { table: Section; details: string[] } {
  const column = section.detailColumn;
  if (column === undefined) return { table: section, details: [] };
  const details = section.rows.map((r, i) => `[${i + 1}] ${r[column] ?? ""}`);
  const rest = removeColumn(section, column);
  const table: Section = {
    ...rest,
    head: ["", ...rest.head],
    align: ["right", ...rest.align],
    rows: rest.rows.map((r, i) => [`[${i + 1}]`, ...r]),
    flex: rest.flex.map((f) => f + 1),
    impactColumn: rest.impactColumn === undefined ? undefined : rest.impactColumn + 1,
  };
  return { table, details };
}

export function removeColumn(section: Section, index: number): Section {
  const keep = (_: unknown, i: number) => i !== index;
  const shift = (column: number | undefined) => (column === undefined || column === index ? undefined : column > index ? column - 1 : column);
  return {
    ...section,
    head: section.head.filter(keep),
    align: section.align.filter(keep),
    rows: section.rows.map((r) => r.filter(keep)),
    flex: section.flex.filter((f) => f !== index).map((f) => (f > index ? f - 1 : f)),
    impactColumn: shift(section.impactColumn),
    detailColumn: shift(section.detailColumn),
  };
}
