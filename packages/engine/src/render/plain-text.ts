// Sections as plain text: fixed-width columns, no colours, no terminal width and no dependencies,
// so a report printed from inside an app (@jotty/otel's printReport()) reads the same in a
// terminal, a CI log or a file, with the same figures as `pnpm analyze`.
import { splitDetails } from "./section-shape.js";
import type { Section } from "./sections.js";

const INDENT = "  ";

/** The section's title, its table indented under it, then its numbered details and notes. */
export function plainSection(section: Section): string[] {
  const { table, details } = splitDetails(section);
  const widths = table.head.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    INDENT +
    cells
      .map((cell, i) => (table.align[i] === "right" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [section.title, line(table.head), ...table.rows.map(line), ...[...details, ...(section.notes ?? [])].map((text) => INDENT + text)];
}
