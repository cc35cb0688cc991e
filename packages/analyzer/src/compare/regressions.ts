// Regressions: significant changes for the worse in time, cost or tokens, per run, step or
// model, by at least the comparison's threshold for that metric. `--fail-on regressions` exits 3
// when there is one.
import { stepTarget } from "./targets.js";
import type { Change, Comparison, Regression, RegressionMetric } from "./types.js";

export function findRegressions(comparison: Comparison): Regression[] {
  const out: Regression[] = [];
  const check = (scope: Regression["scope"], target: string, metric: RegressionMetric, figure: string, change: Change) => {
    if (!change.significant || change.ratio === null || change.pValue === null) return;
    if (change.ratio < 1 + comparison.thresholds[metric]) return;
    out.push({ scope, target, metric, figure, baseline: change.baseline, current: change.current, ratio: change.ratio, pValue: change.pValue });
  };
  const { runs } = comparison;
  check("run", "runs", "time", "wallMsPerRun", runs.wallMsPerRun);
  check("run", "runs", "cost", "costUsdPerRun", runs.costUsdPerRun);
  check("run", "runs", "tokens", "inputTokensPerRun", runs.inputTokensPerRun);
  check("run", "runs", "tokens", "outputTokensPerRun", runs.outputTokensPerRun);
  for (const s of comparison.steps) {
    const target = stepTarget(s);
    check("step", target, "time", "msPerRun", s.msPerRun);
    check("step", target, "tokens", "inputTokens", s.inputTokens);
    check("step", target, "tokens", "outputTokens", s.outputTokens);
    check("step", target, "cost", "costUsd", s.costUsd);
  }
  for (const m of comparison.models) {
    const target = `${m.provider} ${m.model}`;
    check("model", target, "time", "msPerRun", m.msPerRun);
    check("model", target, "tokens", "inputTokens", m.inputTokens);
    check("model", target, "tokens", "outputTokens", m.outputTokens);
    check("model", target, "cost", "costUsd", m.costUsd);
  }
  return out;
}
