// The terminal view: cli-table3 tables fitted to the terminal width, coloured only when asked
// (the CLI asks on a TTY without NO_COLOR).
import Table from "cli-table3";
import pc from "picocolors";
import type { Impact, Report } from "@jotty/engine";
import { terminalText } from "./escape.js";
import { reportSections } from "./report-sections.js";
import { LLM_TRANSPORT_LABEL, type Section, removeColumn, splitDetails, emptyLine, headline, isEmptyReport } from "@jotty/engine";

export interface TableOptions {
  color?: boolean;
  /** Terminal columns to fit; undefined = no limit. */
  width?: number;
  top?: number;
}

const MIN_FLEX = 12;
// Columns a narrow terminal drops first (by section title prefix), least useful first.
const OPTIONAL: Record<string, string[]> = {
  Operations: ["Self share", "Critical share", "p50", "Max", "Errors", "Count"],
  "Steps by position": ["p95", "Runs", "Share", "Failures", "Retries", "Timeouts"],
  "LLM by model": ["p50", "Cached", "Provider"],
  "Steps compared": ["Errors / run", "Calls / run", "Cost / run", "Output tokens / run", "p95", "p50", "Runs"],
  "Models compared": ["Errors / run", "Calls / run", "Cost / run", "Output tokens / run", "p95", "p50", "Runs"],
};

export function renderTable(report: Report, options: TableOptions = {}): string {
  const colors = pc.createColors(options.color ?? false);
  const width = options.width ?? Number.POSITIVE_INFINITY;
  if (isEmptyReport(report)) return `${wrapText(terminalText(emptyLine(report)), width)}\n${warningsText(report, colors, width)}`;
  const out: string[] = headline(report).map((line, i) => {
    const text = wrapText(terminalText(line), width);
    return i === 0 ? colors.bold(text) : text;
  });
  for (const section of reportSections(report, options.top).map(terminalSection)) {
    const { table, details } = splitDetails(section);
    out.push("", colors.bold(section.title), renderSection(dropColumns(table, width), width, colors));
    out.push(...[...details, ...(section.notes ?? [])].map((d) => hangingWrap(d, width, "  ", "    ")));
    if (section.rows.some((r) => r[0]!.endsWith(LLM_TRANSPORT_LABEL))) {
      out.push(
        hangingWrap(`${LLM_TRANSPORT_LABEL}: the HTTP request inside an LLM call, shown as Jaeger does; its time is the LLM call's time.`, width, "  ", "  "),
      );
    }
  }
  out.push("");
  return out.join("\n") + warningsText(report, colors, width);
}

/** Every string of a section with the control bytes of untrusted text made visible (picocolors adds ours later). */
function terminalSection(section: Section): Section {
  return {
    ...section,
    title: terminalText(section.title),
    head: section.head.map(terminalText),
    rows: section.rows.map((r) => r.map(terminalText)),
    ...(section.notes !== undefined ? { notes: section.notes.map(terminalText) } : {}),
  };
}

/** `text` wrapped to `width`, its first line indented by `first`, the rest by `rest`. */
function hangingWrap(text: string, width: number, first: string, rest: string): string {
  return wrapText(text, width - rest.length)
    .split("\n")
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join("\n");
}

function warningsText(report: Report, colors: ReturnType<typeof pc.createColors>, width: number): string {
  if (report.warnings.length === 0) return "";
  const lines = report.warnings.map((w) => colors.yellow(hangingWrap(terminalText(w), width, "  ! ", "    ")));
  return ["", colors.yellow(colors.bold("Warnings")), ...lines, ""].join("\n") + "\n";
}

// Headers wrap at spaces, so a column is as wide as its longest cell or longest header word.
function naturalWidths(section: Section): number[] {
  return section.head.map((h, i) => 2 + Math.max(...h.split(" ").map((w) => w.length), ...section.rows.map((r) => (r[i] ?? "").length)));
}

/** Greedy wrap at spaces; a word longer than the line is split, never cut. */
export function wrapText(text: string, width: number): string {
  if (text.length <= width) return text;
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ")) {
    while (word.length > width) {
      if (line) lines.push(line);
      line = "";
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

const tableWidth = (widths: number[]) => widths.reduce((a, b) => a + b, 0) + widths.length + 1;

function dropColumns(section: Section, width: number): Section {
  const optional = Object.entries(OPTIONAL).find(([title]) => section.title.startsWith(title))?.[1] ?? [];
  let current = section;
  for (const name of optional) {
    if (fits(current, width)) break;
    const index = current.head.indexOf(name);
    if (index >= 0) current = removeColumn(current, index);
  }
  return current;
}

function fits(section: Section, width: number): boolean {
  const widths = naturalWidths(section);
  const flexMin = section.flex.reduce((sum, i) => sum + Math.min(widths[i]!, MIN_FLEX + 2), 0);
  const fixed = widths.reduce((sum, w, i) => (section.flex.includes(i) ? sum : sum + w), 0);
  return fixed + flexMin + widths.length + 1 <= width;
}

/** Shrinks the flexible columns (they wrap) until the table fits `width`: to 12 cells, then to 6. */
function fitWidths(section: Section, width: number): number[] {
  const widths = naturalWidths(section);
  let excess = tableWidth(widths) - width;
  for (const min of [MIN_FLEX + 2, 8]) {
    while (excess > 0) {
      const widest = section.flex.filter((i) => widths[i]! > min).sort((a, b) => widths[b]! - widths[a]!)[0];
      if (widest === undefined) break;
      const cut = Math.min(excess, widths[widest]! - min, Math.max(1, Math.ceil(excess / section.flex.length)));
      widths[widest] = widths[widest]! - cut;
      excess -= cut;
    }
  }
  return widths;
}

function impactColor(impact: string, colors: ReturnType<typeof pc.createColors>): string {
  switch (impact as Impact) {
    case "critical":
      return colors.bold(colors.red(impact));
    case "high":
      return colors.red(impact);
    case "medium":
      return colors.yellow(impact);
    default:
      return colors.dim(impact);
  }
}

function renderSection(section: Section, width: number, colors: ReturnType<typeof pc.createColors>): string {
  const widths = fitWidths(section, width);
  const table = new Table({
    head: section.head.map((h, i) => colors.cyan(wrapText(h, widths[i]! - 2))),
    colAligns: section.align,
    colWidths: widths,
    wordWrap: false,
    style: { head: [], border: [], "padding-left": 1, "padding-right": 1 },
  });
  for (const row of section.rows) {
    table.push(row.map((cell, i) => (i === section.impactColumn ? impactColor(cell, colors) : wrapText(cell, widths[i]! - 2))));
  }
  return table.toString();
}
