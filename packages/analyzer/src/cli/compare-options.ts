// The comparison flags: --baseline-file / --baseline-since / --baseline-until (the baseline
// window, read like the current one), --fail-on regressions, --alpha and --regression-threshold.
import { type Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_ALPHA, DEFAULT_THRESHOLDS } from "../compare/comparison.js";
import type { RegressionMetric } from "../compare/types.js";
import { isReportableInstant, parseInstant } from "./duration.js";
import { UsageError } from "./usage-error.js";

export interface BaselineOptions {
  /** --baseline-file: read the baseline from this file (else from the current window's source). */
  file?: string;
  start: Date;
  end: Date;
  /** --baseline-since or --baseline-until given (a baseline file is read whole unless one is). */
  windowGiven: boolean;
}

export interface CompareCliOptions {
  baseline?: BaselineOptions;
  failOn?: "regressions";
  /** Defaults: DEFAULT_ALPHA, DEFAULT_THRESHOLDS. */
  alpha?: number;
  thresholds?: Record<RegressionMetric, number>;
}

const METRICS: readonly RegressionMetric[] = ["time", "cost", "tokens"];

/** "20%", "0.2", or "time=20%,tokens=5%": smallest relative worsening that is a regression. */
export function parseThresholds(text: string): Record<RegressionMetric, number> {
  const out = { ...DEFAULT_THRESHOLDS };
  const parts = text.split(",").map((p) => p.trim());
  for (const part of parts) {
    const [name, value] = part.includes("=") ? part.split("=", 2).map((s) => s.trim()) : [undefined, part];
    const share = parseShare(value!);
    if (share === undefined) throw new InvalidArgumentError("expected a share like 10% or 0.1, or metric=share pairs (time, cost, tokens).");
    if (name === undefined) for (const m of METRICS) out[m] = share;
    else if ((METRICS as readonly string[]).includes(name)) out[name as RegressionMetric] = share;
    else throw new InvalidArgumentError(`unknown metric '${name}': expected time, cost or tokens.`);
  }
  return out;
}

function parseShare(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]) / (match[2] === "%" ? 100 : 1);
  return Number.isFinite(value) ? value : undefined;
}

function parseAlpha(text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new InvalidArgumentError("--alpha must be a number between 0 and 1 (exclusive).");
  return value;
}

const checkWhen = (value: string) => {
  const instant = parseInstant(value, new Date());
  if (instant === undefined || !isReportableInstant(instant)) {
    throw new InvalidArgumentError("expected a duration (30s, 5m, 1h30m, 2d), an RFC 3339 time between 1970 and 9999, or now.");
  }
  return value;
};

export function addCompareOptions(program: Command): Command {
  return program
    .option("--baseline-file <path>", "compare with the traces of this file (OTLP JSON lines, …)")
    .addOption(new Option("--baseline-since <when>", "compare with the window starting then (same source as the current window)").argParser(checkWhen))
    .addOption(new Option("--baseline-until <when>", "end of the baseline window (default: the start of the current window)").argParser(checkWhen))
    .addOption(new Option("--fail-on <what>", "exit 3 when the comparison finds a significant regression").choices(["regressions"]))
    .addOption(new Option("--alpha <p>", "false-alarm rate of the whole comparison").default(DEFAULT_ALPHA).argParser(parseAlpha))
    .addOption(
      new Option("--regression-threshold <share>", "smallest worsening of a significant change that is a regression: 10%, or time=20%,cost=5%,tokens=10%")
        .default(DEFAULT_THRESHOLDS, "10%")
        .argParser(parseThresholds),
    );
}

/** The comparison flags of a parsed program; the baseline window defaults to the one before `currentStart`. */
export function readCompareOptions(program: Command, now: Date, currentStart: Date, source: string): CompareCliOptions {
  const raw = program.opts<{
    baselineFile?: string;
    baselineSince?: string;
    baselineUntil?: string;
    failOn?: "regressions";
    alpha: number;
    regressionThreshold: Record<RegressionMetric, number>;
  }>();
  const windowGiven = raw.baselineSince !== undefined || raw.baselineUntil !== undefined;
  const common = { failOn: raw.failOn, alpha: raw.alpha, thresholds: raw.regressionThreshold };
  if (raw.baselineFile === undefined && !windowGiven) {
    if (raw.failOn !== undefined) throw new UsageError("--fail-on regressions needs a baseline: --baseline-file or --baseline-since.");
    return common;
  }
  if (source === "prometheus")
    throw new UsageError("a comparison needs per-run values, which --source prometheus does not have: compare traces (Jaeger or a file).");
  if (raw.baselineFile === undefined && raw.baselineSince === undefined) throw new UsageError("--baseline-until needs --baseline-since (or --baseline-file).");
  const end = raw.baselineUntil !== undefined ? parseInstant(raw.baselineUntil, now)! : currentStart;
  const start = raw.baselineSince !== undefined ? parseInstant(raw.baselineSince, now)! : new Date(0);
  if (start.getTime() >= end.getTime()) {
    throw new UsageError(`--baseline-since (${start.toISOString()}) must be before the end of the baseline window (${end.toISOString()}).`);
  }
  if (raw.baselineFile === "") throw new UsageError("--baseline-file needs a path.");
  return { ...common, baseline: { file: raw.baselineFile, start, end, windowGiven } };
}
