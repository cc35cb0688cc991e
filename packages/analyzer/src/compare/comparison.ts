// The comparison section: the baseline window against the current one, per run, per step and per
// model, each change tested on per-run values (Mann–Whitney U, Holm over the comparison).
import type { Report } from "@jotty/engine";
import type { RunModelPart, RunPart, RunRecord, RunStepPart } from "@jotty/engine/engine";
import { ChangeTests } from "./change-tests.js";
import { findingsOverTime } from "./findings-over-time.js";
import { mean, percentileSorted, roundMs, roundShare, roundTenth, roundUsd } from "./figures.js";
import { findRegressions } from "./regressions.js";
import type { ComparedPart, Comparison, RegressionMetric } from "./types.js";

export interface AnalyzedWindow {
  report: Report;
  runs: readonly RunRecord[];
}

export interface CompareOptions {
  /** Family-wise false-alarm rate of the comparison (default 0.05). */
  alpha?: number;
  /** Smallest relative worsening of a significant change that is a regression (default 10 % each). */
  thresholds?: Partial<Record<RegressionMetric, number>>;
}

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_THRESHOLDS: Record<RegressionMetric, number> = { time: 0.1, cost: 0.1, tokens: 0.1 };

export function compareWindows(baseline: AnalyzedWindow, current: AnalyzedWindow, options: CompareOptions = {}): Comparison {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const tests = new ChangeTests(alpha);
  const perRun = (pick: (r: RunRecord) => number, round: (x: number) => number) => {
    const b = baseline.runs.map(pick);
    const c = current.runs.map(pick);
    return tests.change(mean(b), mean(c), round, [b, c]);
  };
  const runs: Comparison["runs"] = {
    count: { baseline: baseline.runs.length, current: current.runs.length },
    successRate: perRun((r) => (r.succeeded ? 1 : 0), roundShare),
    wallMsPerRun: perRun((r) => r.wallMs, roundMs),
    costUsdPerRun: perRun((r) => r.costUsd, roundUsd),
    inputTokensPerRun: perRun((r) => r.inputTokens, roundTenth),
    outputTokensPerRun: perRun((r) => r.outputTokens, roundTenth),
  };
  const steps = pairParts(baseline.runs, current.runs, (r) => r.steps)
    .map(([key, b, c]) => {
      const any = (b[0] ?? c[0]) as RunStepPart;
      return { key, workflow: any.workflow, name: any.name, position: any.position, ...comparePart(tests, b, c) };
    })
    .sort((x, y) => (x.workflow < y.workflow ? -1 : x.workflow > y.workflow ? 1 : x.position - y.position || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)))
    .map(({ key: _, ...row }) => row);
  const models = pairParts(baseline.runs, current.runs, (r) => r.models)
    .map(([, b, c]) => {
      const any = (b[0] ?? c[0]) as RunModelPart;
      return { provider: any.provider, model: any.model, ...comparePart(tests, b, c) };
    })
    .sort((x, y) => y.calls.current * y.runs.current - x.calls.current * x.runs.current || (x.model < y.model ? -1 : 1));
  const testCount = tests.settle();
  const comparison: Comparison = {
    baseline: { source: baseline.report.source, window: baseline.report.window, traces: baseline.report.traces, runs: baseline.runs.length },
    test: { name: "mann-whitney-u", correction: "holm", alpha, tests: testCount },
    thresholds,
    runs,
    steps,
    models,
    regressions: [],
    findings: findingsOverTime(baseline.report, current.report),
  };
  comparison.regressions = findRegressions(comparison);
  return comparison;
}

/** Per key, the parts of the runs holding it in the baseline and in the current window. */
function pairParts<T extends RunPart>(
  baseline: readonly RunRecord[],
  current: readonly RunRecord[],
  parts: (r: RunRecord) => Map<string, T>,
): [string, T[], T[]][] {
  const pairs = new Map<string, [T[], T[]]>();
  const collect = (runs: readonly RunRecord[], side: 0 | 1) => {
    for (const run of runs) {
      for (const [key, part] of parts(run)) {
        let pair = pairs.get(key);
        if (pair === undefined) pairs.set(key, (pair = [[], []]));
        pair[side].push(part);
      }
    }
  };
  collect(baseline, 0);
  collect(current, 1);
  return [...pairs].map(([key, [b, c]]) => [key, b, c]);
}

function comparePart(tests: ChangeTests, b: readonly RunPart[], c: readonly RunPart[]): ComparedPart {
  const sortedDurations = (parts: readonly RunPart[]) => Float64Array.from(parts.flatMap((p) => p.durationsMs)).sort();
  const bd = sortedDurations(b);
  const cd = sortedDurations(c);
  const field = (pick: (p: RunPart) => number, round: (x: number) => number) => {
    const bs = b.map(pick);
    const cs = c.map(pick);
    return tests.change(mean(bs), mean(cs), round, [bs, cs]);
  };
  // p50/p95 describe the spans; whether they changed is tested on each run's time in the part.
  const time = field((p) => p.ms, roundMs);
  return {
    runs: { baseline: b.length, current: c.length },
    msPerRun: time,
    p50Ms: tests.sameTest(percentileSorted(bd, 50), percentileSorted(cd, 50), roundMs, time),
    p95Ms: tests.sameTest(percentileSorted(bd, 95), percentileSorted(cd, 95), roundMs, time),
    inputTokens: field((p) => p.inputTokens, roundTenth),
    outputTokens: field((p) => p.outputTokens, roundTenth),
    costUsd: field((p) => p.costUsd, roundUsd),
    calls: field((p) => p.calls, roundTenth),
    errors: field((p) => p.errors, roundTenth),
  };
}
