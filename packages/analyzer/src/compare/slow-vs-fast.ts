// Slow vs fast in one window: the slowest runs (top decile, at least 3) against the rest. Time
// factors (steps, models, tools) explain the gap between the two groups' mean wall time by the
// difference of their mean time per run; steps partition a run, so they are ranked first, and
// models and tools, which cut across steps, after them. Counts (retries, errors) and input-token
// sizes explain it through a least-squares fit of wall time on them over all runs.
import type { RunPart, RunRecord } from "@jotty/engine/engine";
import { mean, roundMs, roundShare, roundTenth } from "./figures.js";
import { stepTarget } from "./targets.js";
import type { FactorKind, SlowVsFast, SlowVsFastFactor } from "./types.js";

export const MIN_SLOW_RUNS = 3;
/** Factors explaining less of the gap than this are left out. */
export const MIN_SHARE_OF_GAP = 0.05;

const KIND_ORDER: Record<FactorKind, number> = { step: 0, model: 1, tool: 1, retries: 1, errors: 1, "input-tokens": 1 };

/** Undefined when there are too few runs for two groups, or the slow runs are no slower. */
export function slowVsFast(runs: readonly RunRecord[]): SlowVsFast | undefined {
  const slowCount = Math.max(MIN_SLOW_RUNS, Math.ceil(runs.length / 10));
  if (runs.length < slowCount + MIN_SLOW_RUNS) return undefined;
  const sorted = [...runs].sort((a, b) => b.wallMs - a.wallMs || (a.traceId < b.traceId ? -1 : 1));
  const slow = sorted.slice(0, slowCount);
  const fast = sorted.slice(slowCount);
  const slowMeanMs = mean(slow.map((r) => r.wallMs));
  const fastMeanMs = mean(fast.map((r) => r.wallMs));
  const gapMs = slowMeanMs - fastMeanMs;
  if (!(gapMs > 0)) return undefined;

  const factors: SlowVsFastFactor[] = [];
  const timeFactor = (kind: FactorKind, target: string, part: (r: RunRecord) => RunPart | undefined, extra?: Partial<SlowVsFastFactor>) => {
    const s = mean(slow.map((r) => part(r)?.ms ?? 0));
    const f = mean(fast.map((r) => part(r)?.ms ?? 0));
    factors.push({ kind, target, slowMean: roundMs(s), fastMean: roundMs(f), shareOfGap: roundShare(Math.max(0, (s - f) / gapMs)), ...extra });
  };
  for (const [key, step] of partsByKey(runs, (r) => r.steps)) {
    const tokens = (group: RunRecord[]) => roundTenth(mean(group.map((r) => r.steps.get(key)?.inputTokens ?? 0)));
    timeFactor("step", stepTarget(step), (r) => r.steps.get(key), { inputTokens: { slowMean: tokens(slow), fastMean: tokens(fast) } });
  }
  for (const [key, model] of partsByKey(runs, (r) => r.models)) timeFactor("model", `${model.provider} ${model.model}`, (r) => r.models.get(key));
  for (const [key] of partsByKey(runs, (r) => r.tools)) timeFactor("tool", key, (r) => r.tools.get(key));
  const fitted = (kind: FactorKind, target: string, pick: (r: RunRecord) => number) => {
    const s = mean(slow.map(pick));
    const f = mean(fast.map(pick));
    const explained =
      slope(
        runs.map(pick),
        runs.map((r) => r.wallMs),
      ) *
      (s - f);
    factors.push({ kind, target, slowMean: roundTenth(s), fastMean: roundTenth(f), shareOfGap: roundShare(Math.min(1, Math.max(0, explained / gapMs))) });
  };
  fitted("retries", "runs", (r) => r.retries);
  fitted("errors", "runs", (r) => r.errors);
  fitted("input-tokens", "runs", (r) => r.inputTokens);

  return {
    runs: { slow: slow.length, fast: fast.length },
    thresholdMs: roundMs(slow[slow.length - 1]!.wallMs),
    slowMeanMs: roundMs(slowMeanMs),
    fastMeanMs: roundMs(fastMeanMs),
    gapMs: roundMs(gapMs),
    factors: factors
      .filter((f) => f.shareOfGap >= MIN_SHARE_OF_GAP)
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.shareOfGap - a.shareOfGap || (a.target < b.target ? -1 : 1)),
  };
}

function partsByKey<T extends RunPart>(runs: readonly RunRecord[], parts: (r: RunRecord) => Map<string, T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const run of runs) for (const [key, part] of parts(run)) if (!out.has(key)) out.set(key, part);
  return out;
}

/** Least-squares slope of y on x; 0 when x does not vary. */
function slope(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : 0;
}
