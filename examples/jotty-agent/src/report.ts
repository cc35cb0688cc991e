// The analyzer's report for the spans of one demo run, read back from the traces file.
import { readTraceFile, renderJson, renderMarkdown, renderTable, WarningLog, type Report } from "@jotty/analyzer";
import { createReportBuilder } from "@jotty/analyzer/engine";

export type ReportFormat = "table" | "json" | "markdown";

/** `waterfall` keeps the slowest trace's spans, which the HTML report draws. */
export async function reportFromTracesFile(path: string, options: { waterfall?: boolean } = {}): Promise<Report> {
  const builder = createReportBuilder({ source: { kind: "file", location: path }, waterfall: options.waterfall === true });
  const warnings = new WarningLog();
  await readTraceFile(path, (span) => builder.add(span), warnings);
  const report = builder.finish();
  if (warnings.size > 0) report.warnings = [...warnings.lines(), ...report.warnings];
  return report;
}

export function renderReport(report: Report, format: ReportFormat, stdout: NodeJS.WriteStream): string {
  if (format === "json") return renderJson(report);
  if (format === "markdown") return renderMarkdown(report);
  const color = stdout.isTTY === true && !process.env.NO_COLOR;
  return renderTable(report, { color, ...(stdout.isTTY ? { width: stdout.columns || 100 } : {}) });
}
