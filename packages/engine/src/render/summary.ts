// The headline lines every view starts with, and the one line of an empty window.
import type { Report } from "../report.js";
import { formatCount, formatInstant, formatMs, formatShare, formatUsd } from "./format.js";

export function sourceLine(report: Report): string {
  const { kind, location } = report.source;
  return location ? `${kind} ${location}` : kind;
}

export function windowLine(report: Report): string {
  return `${formatInstant(report.window.start)} → ${formatInstant(report.window.end)}`;
}

export function isEmptyReport(report: Report): boolean {
  return report.traces === 0 && report.spans === 0 && report.source.kind !== "prometheus";
}

/** What an empty window prints instead of a report. */
export function emptyLine(report: Report): string {
  return `No traces in ${windowLine(report)} (source: ${sourceLine(report)}).`;
}

export function headline(report: Report): string[] {
  const { llm } = report;
  if (report.source.kind === "prometheus") return aggregateHeadline(report);
  const lines = [
    `${formatCount(report.traces)} traces, ${formatCount(report.spans)} spans · ${windowLine(report)} · ${sourceLine(report)}`,
    `Wall time ${formatMs(report.wallMs)} · LLM ${formatShare(llm.share)} of wall time, ${formatShare(llm.criticalShare)} of the critical path`,
  ];
  if (report.runs.count > 0) {
    lines.push(`${formatCount(report.runs.count)} runs, ${formatShare(report.runs.successRate)} succeeded`);
  }
  if (llm.calls > 0) {
    lines.push(
      `${formatCount(llm.calls)} LLM calls · ${formatCount(llm.inputTokens)} input tokens (${formatCount(llm.cacheReadTokens)} cached) · ${formatCount(llm.outputTokens)} output tokens · ${formatUsd(llm.costUsd)}`,
    );
  }
  return lines;
}

/** Prometheus aggregates: no traces, wall time or critical path to speak of. */
function aggregateHeadline(report: Report): string[] {
  const { llm } = report;
  const lines = [
    `${formatCount(report.spans)} spans (aggregates from span metrics, no trace detail) · ${windowLine(report)} · ${sourceLine(report)}`,
    `LLM calls ${formatMs(llm.ms)}, ${formatShare(llm.share)} of the time of ${report.operations[0]?.name ?? "the longest operation"} (summed span durations)`,
  ];
  if (report.runs.count > 0) {
    lines.push(`${formatCount(report.runs.count)} runs, ${formatShare(report.runs.successRate)} succeeded`);
  }
  if (llm.calls > 0) {
    lines.push(
      `${formatCount(llm.calls)} LLM calls · ${formatCount(llm.inputTokens)} input tokens · ${formatCount(llm.outputTokens)} output tokens · ${formatUsd(llm.costUsd)}`,
    );
  }
  return lines;
}
