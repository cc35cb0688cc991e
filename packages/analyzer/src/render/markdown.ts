// `--format markdown`: the same sections as the terminal table, as GitHub-flavoured markdown.
import type { Report } from "../report.js";
import { sections } from "./sections.js";
import { emptyLine, headline, isEmptyReport } from "./summary.js";

const escapeCell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

export function renderMarkdown(report: Report, options: { top?: number } = {}): string {
  if (isEmptyReport(report)) return `${emptyLine(report)}\n${warningsMarkdown(report)}`;
  const lines = ["# Trace analysis", "", ...headline(report).map((l) => `${l}  `), ""];
  for (const section of sections(report, options.top)) {
    lines.push(`## ${section.title}`, "");
    lines.push(`| ${section.head.map(escapeCell).join(" | ")} |`);
    lines.push(`|${section.align.map((a) => (a === "right" ? " ---: " : " --- ")).join("|")}|`);
    for (const row of section.rows) lines.push(`| ${row.map(escapeCell).join(" | ")} |`);
    lines.push("");
  }
  return `${lines.join("\n")}${warningsMarkdown(report)}`;
}

function warningsMarkdown(report: Report): string {
  if (report.warnings.length === 0) return "";
  return ["## Warnings", "", ...report.warnings.map((w) => `- ${w}`), ""].join("\n") + "\n";
}
