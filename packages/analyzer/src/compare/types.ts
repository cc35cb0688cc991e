// The report's comparison and slow-vs-fast sections (`--format json` keys `comparison` and
// `slowVsFast`), added by the analyzer to the engine's report.
import type { Report } from "@jotty/engine";

/** One figure in the baseline and the current window. */
export interface Change {
  baseline: number;
  current: number;
  /** current − baseline. */
  change: number;
  /** current / baseline; null when the baseline is 0. */
  ratio: number | null;
  /** Mann–Whitney U on the per-run values, Holm-adjusted over the comparison; null when not tested. */
  pValue: number | null;
  /** pValue below the comparison's alpha. */
  significant: boolean;
}

export interface ComparedPart {
  /** Runs holding the step (or calling the model) in each window. */
  runs: { baseline: number; current: number };
  /** Time per run in the part (the tested time figure). */
  msPerRun: Change;
  /** Of the spans (steps) or calls (models); they share msPerRun's test (significant only when they moved its way). */
  p50Ms: Change;
  p95Ms: Change;
  /** The rest are per run that holds the part. */
  inputTokens: Change;
  outputTokens: Change;
  /** USD of the part's LLM calls. */
  costUsd: Change;
  calls: Change;
  errors: Change;
}

export interface ComparedStep extends ComparedPart {
  workflow: string;
  name: string;
  position: number;
}

export interface ComparedModel extends ComparedPart {
  provider: string;
  model: string;
}

export type RegressionMetric = "time" | "cost" | "tokens";

export interface Regression {
  scope: "run" | "step" | "model";
  /** "runs", "step 2: plan", "openai gpt-4o". */
  target: string;
  metric: RegressionMetric;
  /** The Change it comes from: wallMsPerRun, p50Ms, inputTokens… */
  figure: string;
  baseline: number;
  current: number;
  ratio: number;
  pValue: number;
}

export type FindingStatus = "new" | "persisting" | "resolved";

export interface FindingOverTime {
  /** `${kind}:${target}`, the recommendation's stable id. */
  id: string;
  kind: Report["recommendations"][number]["kind"];
  target: string;
  status: FindingStatus;
  /** The current window's estimate (the baseline's for a resolved finding). */
  estimatedSavingMs: number;
  estimatedSavingUsd: number;
}

export interface Comparison {
  baseline: { source: Report["source"]; window: Report["window"]; traces: number; runs: number };
  test: { name: "mann-whitney-u"; correction: "holm"; alpha: number; tests: number };
  /** A significant change worse by at least this share is a regression. */
  thresholds: Record<RegressionMetric, number>;
  runs: {
    count: { baseline: number; current: number };
    successRate: Change;
    wallMsPerRun: Change;
    costUsdPerRun: Change;
    inputTokensPerRun: Change;
    outputTokensPerRun: Change;
  };
  steps: ComparedStep[];
  models: ComparedModel[];
  regressions: Regression[];
  findings: FindingOverTime[];
}

export type FactorKind = "step" | "model" | "tool" | "retries" | "errors" | "input-tokens";

export interface SlowVsFastFactor {
  kind: FactorKind;
  target: string;
  /** Per run: ms for steps, models and tools; counts for retries and errors; tokens for input-tokens. */
  slowMean: number;
  fastMean: number;
  /** Part of the gap between the slow and the fast runs' mean wall time this factor explains (0..1). */
  shareOfGap: number;
  /** Steps: mean input tokens per run of the step's LLM calls. */
  inputTokens?: { slowMean: number; fastMean: number };
}

export interface SlowVsFast {
  runs: { slow: number; fast: number };
  /** Wall time of the fastest slow run: the slow runs take at least this long. */
  thresholdMs: number;
  slowMeanMs: number;
  fastMeanMs: number;
  gapMs: number;
  factors: SlowVsFastFactor[];
}

/** The engine's report with what the analyzer adds. */
export type AnalyzedReport = Report & { comparison?: Comparison; slowVsFast?: SlowVsFast };
