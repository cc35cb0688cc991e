// `--format markdown`: the same sections as the terminal table, as GitHub-flavoured markdown.
import type { Report } from "@jotty/engine";
import { markdownText } from "./escape.js";
import { emptyLine, headline, isEmptyReport } from "@jotty/engine";
import { reportSections } from "./report-sections.js";

export function renderMarkdown(report: Report, options: { top?: number } = {}): string {
  if (isEmptyReport(report)) return `${markdownText(emptyLine(report))}\n${warningsMarkdown(report)}`;
  const lines = ["# Trace analysis", "", ...headline(report).map((l) => `${markdownText(l)}  `), ""];
  for (const section of reportSections(report, options.top)) {
    lines.push(`## ${section.title}`, "");
    lines.push(`| ${section.head.map(markdownText).join(" | ")} |`);
    lines.push(`|${section.align.map((a) => (a === "right" ? " ---: " : " --- ")).join("|")}|`);
    for (const row of section.rows) lines.push(`| ${row.map(markdownText).join(" | ")} |`);
    lines.push("");
    if (section.notes?.length) lines.push(...section.notes.map((n) => `${markdownText(n)}  `), "");
  }
  return `${lines.join("\n")}${warningsMarkdown(report)}`;
}

function warningsMarkdown(report: Report): string {
  if (report.warnings.length === 0) return "";
  return ["## Warnings", "", ...report.warnings.map((w) => `- ${markdownText(w)}`), ""].join("\n") + "\n";
}
