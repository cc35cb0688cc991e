// An analyzer run with what needs per-run records: the slow-vs-fast section of the window and,
// with a baseline, the comparison section.
import { RunRecorder } from "@jotty/engine/engine";
import { compareWindows } from "../compare/comparison.js";
import { slowVsFast } from "../compare/slow-vs-fast.js";
import type { AnalyzedReport } from "../compare/types.js";
import type { CliOptions } from "./options.js";
import { analyze, type Io } from "./run.js";

export async function analyzeCompared(options: CliOptions, io: Io): Promise<AnalyzedReport> {
  const recorder = new RunRecorder();
  const report: AnalyzedReport = await analyze(options, io, recorder);
  const split = slowVsFast(recorder.records());
  if (split !== undefined) report.slowVsFast = split;
  if (options.baseline !== undefined) {
    const baselineRecorder = new RunRecorder();
    const baseline = await analyze(baselineOptions(options), io, baselineRecorder);
    report.comparison = compareWindows(
      { report: baseline, runs: baselineRecorder.records() },
      { report, runs: recorder.records() },
      { alpha: options.alpha, thresholds: options.thresholds },
    );
  }
  return report;
}

/** The current window's options with the baseline's window and file. */
export function baselineOptions(options: CliOptions): CliOptions {
  const baseline = options.baseline!;
  const fromFile = baseline.file !== undefined;
  return {
    ...options,
    start: baseline.start,
    end: baseline.end,
    windowGiven: baseline.windowGiven || !fromFile,
    // The baseline's start is explicit (the epoch when --baseline-since is left out).
    sinceGiven: true,
    source: fromFile ? "file" : options.source,
    file: fromFile ? baseline.file : options.file,
    fileGiven: fromFile || options.fileGiven,
    baseline: undefined,
  };
}
