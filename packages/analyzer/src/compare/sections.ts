// The comparison and slow-vs-fast sections as titled tables, for the table, markdown and HTML
// views (the same Section shape as the engine's sections).
import { formatCount, formatMs, formatShare, formatUsd, type Section } from "@jotty/engine";
import { stepTarget } from "./targets.js";
import type { AnalyzedReport, Change, ComparedPart, Comparison, SlowVsFastFactor } from "./types.js";

type Format = (x: number) => string;

/** "1.00 s → 3.00 s (+200 %)", starred when the change is significant. */
export function changeText(c: Change, format: Format): string {
  if (c.baseline === c.current) return `${format(c.current)} (=)`;
  const relative = c.ratio === null ? "new" : `${c.ratio >= 1 ? "+" : "−"}${formatShare(Math.abs(c.ratio - 1))}`;
  return `${format(c.baseline)} → ${format(c.current)} (${relative})${c.significant ? " *" : ""}`;
}

const significanceNote = (c: Comparison) => `* significant: Mann–Whitney U on per-run values, Holm-adjusted over ${c.test.tests} tests, p < ${c.test.alpha}`;

export function comparisonSections(report: AnalyzedReport): Section[] {
  const c = report.comparison;
  if (c === undefined) return [];
  const out: Section[] = [];
  const r = c.runs;
  out.push({
    title: "Compared with the baseline",
    head: ["Per run", "Baseline → current", "p"],
    align: ["left", "left", "right"],
    rows: [
      ["runs", `${formatCount(r.count.baseline)} → ${formatCount(r.count.current)}`, ""],
      ["success rate", changeText(r.successRate, formatShare), pText(r.successRate)],
      ["wall time", changeText(r.wallMsPerRun, formatMs), pText(r.wallMsPerRun)],
      ["cost", changeText(r.costUsdPerRun, formatUsd), pText(r.costUsdPerRun)],
      ["input tokens", changeText(r.inputTokensPerRun, formatCount), pText(r.inputTokensPerRun)],
      ["output tokens", changeText(r.outputTokensPerRun, formatCount), pText(r.outputTokensPerRun)],
    ],
    flex: [1],
    notes: [
      significanceNote(c),
      `baseline: ${c.baseline.source.kind} ${c.baseline.source.location}, ${c.baseline.window.start ?? "…"} → ${c.baseline.window.end ?? "…"}`,
    ],
  });
  const partRows = (label: string, part: ComparedPart) => [
    label,
    `${part.runs.baseline} → ${part.runs.current}`,
    changeText(part.msPerRun, formatMs),
    changeText(part.p50Ms, formatMs),
    changeText(part.p95Ms, formatMs),
    changeText(part.inputTokens, formatCount),
    changeText(part.outputTokens, formatCount),
    changeText(part.costUsd, formatUsd),
    changeText(part.calls, formatCount),
    changeText(part.errors, formatCount),
  ];
  const head = ["Runs", "Time / run", "p50", "p95", "Input tokens / run", "Output tokens / run", "Cost / run", "Calls / run", "Errors / run"];
  const align = ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right"] as Section["align"];
  if (c.steps.length > 0) {
    out.push({ title: "Steps compared", head: ["Step", ...head], align, rows: c.steps.map((s) => partRows(stepTarget(s), s)), flex: [0] });
  }
  if (c.models.length > 0) {
    out.push({ title: "Models compared", head: ["Model", ...head], align, rows: c.models.map((m) => partRows(`${m.provider} ${m.model}`, m)), flex: [0] });
  }
  out.push({
    title: c.regressions.length > 0 ? `Regressions (${c.regressions.length})` : "Regressions",
    head: ["Scope", "Target", "Metric", "Figure", "Baseline → current", "p"],
    align: ["left", "left", "left", "left", "left", "right"],
    rows:
      c.regressions.length > 0
        ? c.regressions.map((g) => [
            g.scope,
            g.target,
            g.metric,
            g.figure,
            `${formatFigure(g.figure, g.baseline)} → ${formatFigure(g.figure, g.current)} (${g.ratio.toFixed(2)}×)`,
            g.pValue.toPrecision(2),
          ])
        : [["none", "", "", "", "", ""]],
    flex: [1],
    notes: [`a regression: significant and worse by at least ${thresholdText(c)}`],
  });
  if (c.findings.length > 0) {
    out.push({
      title: "Findings over time",
      head: ["Status", "Finding", "Saves (time)", "Saves (cost)"],
      align: ["left", "left", "right", "right"],
      rows: c.findings.map((f) => [f.status, f.id, formatMs(f.estimatedSavingMs), formatUsd(f.estimatedSavingUsd)]),
      flex: [1],
    });
  }
  return out;
}

export function slowVsFastSections(report: AnalyzedReport): Section[] {
  const s = report.slowVsFast;
  if (s === undefined) return [];
  return [
    {
      title: "Slow vs fast runs",
      head: ["Factor", "Target", "Slow runs", "Fast runs", "Share of gap"],
      align: ["left", "left", "right", "right", "right"],
      rows: s.factors.map((f) => [f.kind, f.target, factorValue(f, f.slowMean), factorValue(f, f.fastMean), formatShare(f.shareOfGap)]),
      flex: [1],
      notes: [
        `the slowest ${s.runs.slow} of ${s.runs.slow + s.runs.fast} runs (≥ ${formatMs(s.thresholdMs)}) take ${formatMs(s.slowMeanMs)} on average, the rest ${formatMs(s.fastMeanMs)}: a gap of ${formatMs(s.gapMs)}`,
        ...s.factors.slice(0, 3).map(factorLine),
      ],
    },
  ];
}

/** "slow runs spend 2.10 s more in step 2: plan (87 % of the gap): 3.1× the input tokens". */
export function factorLine(f: SlowVsFastFactor): string {
  const share = `(${formatShare(f.shareOfGap)} of the gap)`;
  const more = f.slowMean - f.fastMean;
  switch (f.kind) {
    case "step":
    case "model":
    case "tool": {
      const ratio = f.inputTokens !== undefined && f.inputTokens.fastMean > 0 ? f.inputTokens.slowMean / f.inputTokens.fastMean : 1;
      // Input tokens within 5 % of the fast runs' are no explanation worth a word.
      const tokens = Math.abs(ratio - 1) >= 0.05 ? `: ${ratio.toFixed(1)}× the input tokens` : "";
      return `slow runs spend ${formatMs(more)} more in ${f.kind === "step" ? "" : `${f.kind} `}${f.target} ${share}${tokens}`;
    }
    case "input-tokens":
      return `slow runs carry ${f.fastMean > 0 ? `${(f.slowMean / f.fastMean).toFixed(1)}× the` : "more"} input tokens ${share}`;
    default:
      return `slow runs have ${formatCount(Math.round(more * 10) / 10)} more ${f.kind} per run ${share}`;
  }
}

function factorValue(f: SlowVsFastFactor, value: number): string {
  if (f.kind === "step" || f.kind === "model" || f.kind === "tool") return formatMs(value);
  return formatCount(value);
}

function formatFigure(figure: string, value: number): string {
  if (/ms/i.test(figure)) return formatMs(value);
  if (/cost/i.test(figure)) return formatUsd(value);
  return formatCount(value);
}

function pText(c: Change): string {
  return c.pValue === null ? "" : c.pValue.toPrecision(2);
}

function thresholdText(c: Comparison): string {
  const t = c.thresholds;
  return t.time === t.cost && t.cost === t.tokens
    ? formatShare(t.time)
    : `${formatShare(t.time)} (time), ${formatShare(t.cost)} (cost), ${formatShare(t.tokens)} (tokens)`;
}
