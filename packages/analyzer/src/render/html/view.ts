// What the HTML report's charts draw, derived from the report object alone. The page's script
// receives this as JSON and only turns it into Chart.js configurations.
import type { Report } from "@jotty/engine";
import { formatMs, partitionPercents, LLM_TRANSPORT_LABEL } from "@jotty/engine";

export interface ChartView {
  distribution: { label: string; ms: number; percent: number; percentText: string }[];
  steps: { label: string; workflow: string; meanMs: number; meanInputTokens: number; retries: number; timeouts: number }[];
  models: { label: string; uncachedInput: number; cachedInput: number; output: number; costUsd: number }[];
  operations: { label: string; selfMs: number; criticalMs: number; transport: boolean }[];
  waterfall: {
    traceId: string;
    spans: { label: string; startMs: number; endMs: number; kind: string; error: boolean; text: string }[];
    omitted: number;
  } | null;
}

/** A step's axis label: position and name (the tooltip and the table name its workflow). */
export function stepLabel(step: Report["steps"][number]): string {
  return `${step.position} ${step.name}`;
}

export function operationLabel(op: Report["operations"][number]): string {
  return op.llmTransport ? `${op.name} ${LLM_TRANSPORT_LABEL}` : op.name;
}

export function chartView(report: Report, top: number): ChartView {
  const waterfall = report.waterfall;
  const percents = partitionPercents(report.timeDistribution.map((d) => d.share));
  return {
    distribution: report.timeDistribution.map((d, i) => ({ label: d.component, ms: d.ms, percent: d.share * 100, percentText: percents[i]! })),
    steps: report.steps.map((s) => ({
      label: stepLabel(s),
      workflow: s.workflow ?? "",
      meanMs: s.meanMs,
      meanInputTokens: s.meanInputTokens,
      retries: s.retries,
      timeouts: s.timeouts,
    })),
    models: report.llm.byModel.map((m) => {
      const cachedInput = Math.min(m.cacheReadTokens, m.inputTokens);
      return { label: m.model, uncachedInput: m.inputTokens - cachedInput, cachedInput, output: m.outputTokens, costUsd: m.costUsd };
    }),
    operations: report.operations
      .slice(0, top)
      .map((o) => ({ label: operationLabel(o), selfMs: o.selfMs, criticalMs: o.criticalMs, transport: o.llmTransport === true })),
    waterfall:
      waterfall === undefined
        ? null
        : {
            traceId: waterfall.traceId,
            spans: waterfall.spans.map((s) => ({
              label: `${"  ".repeat(Math.min(s.depth, 12))}${s.name}`,
              startMs: s.startMs,
              endMs: s.startMs + s.durationMs,
              kind: s.kind,
              error: s.error,
              text: `${s.name} (${s.service}): ${formatMs(s.durationMs)} from ${formatMs(s.startMs)}`,
            })),
            omitted: waterfall.omittedSpans,
          },
  };
}
