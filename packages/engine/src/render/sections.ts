// The report as titled tables of plain strings; the terminal and markdown views both render these,
// so they always show the same figures.
import { DEFAULT_TOP } from "../engine/constants.js";
import type { CpuHotspotOperation, Report } from "../report.js";
import { errorsSection } from "./errors-section.js";
import { bar, formatCount, formatMs, formatShare, formatUsd, partitionPercents } from "./format.js";

export type Align = "left" | "right";

export interface Section {
  title: string;
  head: string[];
  align: Align[];
  rows: string[][];
  /** Columns that may wrap when the terminal is narrow (the rest keep their width). */
  flex: number[];
  /** Column holding an impact level, coloured on a terminal. */
  impactColumn?: number;
  /** Column of long explanations the terminal view prints as numbered notes below the table. */
  detailColumn?: number;
  /** Lines every view prints below the table. */
  notes?: string[];
}

/** What the views append to an operation that is the HTTP request of an LLM call. */
export const LLM_TRANSPORT_LABEL = "(LLM call transport)";

export function sections(report: Report, top = DEFAULT_TOP): Section[] {
  const out: Section[] = [];
  // Prometheus aggregates carry no trace detail: its zeros for self time, critical path, step
  // positions, input tokens, timeouts and retries mean "unknown", shown as a dash.
  const aggregate = report.source.kind === "prometheus";
  const known = (text: string) => (aggregate ? "–" : text);
  if (report.timeDistribution.length > 0) {
    const percents = partitionPercents(report.timeDistribution.map((d) => d.share));
    out.push({
      title: "Time distribution",
      head: ["Component", "Time", "Share", ""],
      align: ["left", "right", "right", "left"],
      rows: report.timeDistribution.map((d, i) => [d.component, formatMs(d.ms), percents[i]!, bar(d.share, 20)]),
      flex: [0],
    });
  }
  if (report.steps.length > 0) {
    // Runs of different workflows number their steps independently: name the workflow then.
    const byWorkflow = report.steps.some((s) => (s.workflow ?? "") !== "");
    out.push({
      title: "Steps by position",
      head: [...(byWorkflow ? ["Workflow"] : []), "#", "Step", "Runs", "Mean", "p95", "Share", "Mean input tokens", "Timeouts", "Retries", "Failures"],
      align: [...(byWorkflow ? ["left" as const] : []), "right", "left", "right", "right", "right", "right", "right", "right", "right", "right"],
      rows: report.steps.map((s) => [
        ...(byWorkflow ? [s.workflow ?? ""] : []),
        known(String(s.position)),
        s.name,
        formatCount(s.count),
        formatMs(s.meanMs),
        formatMs(s.p95Ms),
        formatShare(s.share),
        known(formatCount(Math.round(s.meanInputTokens))),
        known(String(s.timeouts)),
        known(String(s.retries)),
        String(s.failures),
      ]),
      flex: byWorkflow ? [0, 2] : [1],
    });
  }
  if (report.llm.byModel.length > 0) {
    out.push({
      title: "LLM by model",
      head: ["Provider", "Model", "Calls", "Input tokens", "Cached", "Output tokens", "Cost", "p50", "p95"],
      align: ["left", "left", "right", "right", "right", "right", "right", "right", "right"],
      rows: report.llm.byModel.map((m) => [
        m.provider,
        m.model,
        formatCount(m.calls),
        formatCount(m.inputTokens),
        known(formatCount(m.cacheReadTokens)),
        formatCount(m.outputTokens),
        formatUsd(m.costUsd),
        formatMs(m.p50Ms),
        formatMs(m.p95Ms),
      ]),
      flex: [1],
    });
  }
  if (report.operations.length > 0) {
    out.push({
      title: report.operations.length > top ? `Operations (top ${top} of ${report.operations.length})` : "Operations",
      head: ["Operation", "Count", "Total", "Self", "Self share", "Critical path", "Critical share", "p50", "p95", "Max", "Errors"],
      align: ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
      rows: report.operations
        .slice(0, top)
        .map((o) => [
          o.llmTransport ? `${o.name} ${LLM_TRANSPORT_LABEL}` : o.name,
          formatCount(o.count),
          formatMs(o.totalMs),
          known(formatMs(o.selfMs)),
          known(formatShare(o.selfShare)),
          known(formatMs(o.criticalMs)),
          known(formatShare(o.criticalShare)),
          formatMs(o.p50Ms),
          formatMs(o.p95Ms),
          known(formatMs(o.maxMs)),
          String(o.errors),
        ]),
      flex: [0],
    });
  }
  if (report.bottlenecks.length > 0) {
    out.push({
      title: "Bottlenecks",
      head: ["Impact", "Where", "Share", "Why"],
      align: ["left", "left", "right", "left"],
      rows: report.bottlenecks.map((b) => [b.impact, b.name, formatShare(b.share), b.why]),
      flex: [1, 3],
      impactColumn: 0,
      detailColumn: 3,
    });
  }
  if (report.recommendations.length > 0) {
    out.push({
      title: "Recommendations",
      head: ["Change", "Target", "Saves (time)", "Saves (cost)", "Evidence"],
      align: ["left", "left", "right", "right", "left"],
      rows: report.recommendations.map((r) => [r.kind, r.target, formatMs(r.estimatedSavingMs), formatUsd(r.estimatedSavingUsd), r.evidence]),
      flex: [0, 1, 4],
      detailColumn: 4,
    });
  }
  const errors = errorsSection(report);
  if (errors !== undefined) out.push(errors);
  if (report.cpuHotspots !== undefined && report.cpuHotspots.length > 0) out.push(cpuHotspotsSection(report.cpuHotspots, top));
  if (report.slowestTraces.length > 0) {
    out.push({
      title: "Slowest traces",
      head: ["Duration", "Root", report.slowestTraces.some((t) => t.url !== "") ? "Trace (opens in Jaeger UI)" : "Trace"],
      align: ["right", "left", "left"],
      rows: report.slowestTraces.slice(0, top).map((t) => [formatMs(t.durationMs), t.rootName, t.url || t.traceId]),
      flex: [1, 2],
      // Below the table a link stays whole, so a terminal can open it.
      detailColumn: 2,
    });
  }
  return out;
}

/** The CPU profiler's top functions per operation, with which segments overlapped and the profile files. */
export function cpuHotspotsSection(operations: readonly CpuHotspotOperation[], top = DEFAULT_TOP): Section {
  const shown = operations.slice(0, top);
  const overlaps = shown
    .filter((op) => op.overlappingSegments > 0)
    .map((op) => {
      const which = op.segments === 1 ? "its segment" : `${op.overlappingSegments} of its ${op.segments} segments`;
      return `${op.name}: ${which} overlapped other segments (samples shared, counted in each)`;
    });
  const profiles = [...new Set(shown.flatMap((op) => op.profiles))];
  return {
    title: "CPU hot spots (JOTTY_CPU_PROFILE)",
    head: ["Operation", "CPU", "CPU share", "Function", "Self", "Location"],
    align: ["left", "right", "right", "left", "right", "left"],
    rows: shown.flatMap((op) => {
      const head = [op.name, formatMs(op.cpuMs), formatShare(op.cpuShare)];
      if (op.topFunctions.length === 0) return [[...head, "", "", ""]];
      return op.topFunctions.map((f, i) => [...(i === 0 ? head : ["", "", ""]), f.function || "(anonymous)", formatMs(f.selfMs), f.location]);
    }),
    flex: [0, 3, 5],
    notes: [...overlaps, ...(profiles.length > 0 ? [`Profile: ${profiles.join(", ")} (open in speedscope or Chrome DevTools)`] : [])],
  };
}
