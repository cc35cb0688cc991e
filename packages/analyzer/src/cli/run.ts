// One analyzer run: pick the source, stream its spans into the engine, render the report.
import { createReportBuilder, type TraceObserver } from "@jotty/engine/engine";
import type { Report } from "@jotty/engine";
import { renderHtml } from "../render/html.js";
import { renderJson } from "../render/json.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderTable } from "../render/table.js";
import { resolveAutoSource } from "../sources/auto.js";
import { withoutCredentials } from "../sources/credentials.js";
import { SourceError } from "../sources/errors.js";
import { reportTraceFile } from "../sources/file-report.js";
import { readTraceFileInWindow } from "../sources/file-window.js";
import { readJaeger } from "../sources/jaeger.js";
import { readPrometheusReport } from "../sources/prometheus.js";
import { WarningLog } from "../sources/warnings.js";
import type { CliOptions } from "./options.js";

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** The source `--source auto` stands for (a file given on the command line always wins), and its file. */
export async function chosenSource(options: CliOptions): Promise<{ source: Exclude<CliOptions["source"], "auto">; file: string | undefined }> {
  if (options.source !== "auto") return { source: options.source, file: options.file };
  if (options.fileGiven) return { source: "file", file: options.file };
  const resolved = await resolveAutoSource({ jaegerUrl: options.jaegerUrl, jaegerHeaders: options.jaegerHeaders, file: options.file });
  return { source: resolved.kind, file: resolved.kind === "file" ? resolved.path : options.file };
}

/** `traceObserver` sees every analysed trace (the comparison's per-run records). */
export async function analyze(options: CliOptions, io: Io, traceObserver?: TraceObserver): Promise<Report> {
  const { source, file } = await chosenSource(options);
  if (source === "prometheus") {
    const { prometheusUrl: url, prometheusHeaders: headers, service, start, end, top } = options;
    return readPrometheusReport({ url, headers, service, start, end, top });
  }
  const warnings = new WarningLog();
  const plausible = options.maxSpanMs !== undefined ? { maxSpanMs: options.maxSpanMs } : undefined;
  // The HTML view draws the slowest trace's waterfall.
  const waterfall = options.format === "html";
  const window = { start: options.start.toISOString(), end: options.end.toISOString() };
  // The report names Jaeger and links its traces without the URL's credentials.
  const jaegerUrl = withoutCredentials(options.jaegerUrl);
  if (source === "jaeger") {
    const builder = createReportBuilder({
      plausible,
      source: { kind: "jaeger", location: jaegerUrl },
      window,
      top: options.top,
      jaegerUrl,
      waterfall,
      traceObserver,
    });
    const progress = progressLine(io);
    try {
      await readJaeger(
        {
          url: options.jaegerUrl,
          grpc: options.jaegerGrpc,
          headers: options.jaegerHeaders,
          service: options.service,
          start: options.start,
          end: options.end,
          pageSize: options.pageSize,
          progress: progress.update,
          traceDone: (traceId) => builder.flushTrace(traceId),
        },
        (span) => builder.add(span),
        warnings,
      );
    } finally {
      progress.clear();
    }
    return withWarnings(builder.finish(), warnings);
  }
  if (file === undefined || file === "") {
    throw new SourceError("--source file needs --file <path> (or JOTTY_TRACES_FILE)");
  }
  const path = file;
  if (!options.windowGiven && options.service === undefined) {
    // No Jaeger links from a file: its traces need not be in any Jaeger.
    const { report } = await reportTraceFile(
      path,
      { plausible, source: { kind: "file", location: path }, top: options.top, waterfall, traceObserver },
      warnings,
      {
        workers: options.fileWorkers,
      },
    );
    return withWarnings(report, warnings);
  }
  // --until alone reads the file from its start.
  const fileWindow = options.windowGiven ? { start: options.sinceGiven ? options.start : new Date(0), end: options.end } : undefined;
  const builder = createReportBuilder({
    plausible,
    source: { kind: "file", location: path },
    window: fileWindow && { start: options.sinceGiven ? window.start : null, end: window.end },
    top: options.top,
    waterfall,
    traceObserver,
  });
  const result = await readTraceFileInWindow(path, fileWindow, (span) => builder.add(span), warnings, options.service);
  const report = withWarnings(builder.finish(), warnings);
  if (result.spans === 0 && result.fileSpans > 0) {
    const span = `${new Date(result.fileStartNs / 1e6).toISOString()} … ${new Date(result.fileEndNs / 1e6).toISOString()}`;
    report.warnings.push(
      fileWindow
        ? `${path} holds ${result.fileSpans} spans starting ${span}, none in this window${options.service !== undefined ? ` of service ${options.service}` : ""}: widen --since or leave it out to read the whole file`
        : `${path} holds ${result.fileSpans} spans starting ${span}, none of service ${options.service}`,
    );
  }
  return report;
}

function withWarnings(report: Report, warnings: WarningLog): Report {
  if (warnings.size > 0) report.warnings = [...warnings.lines(), ...report.warnings];
  return report;
}

/** A self-overwriting status line on stderr, only when stderr is a terminal. */
function progressLine(io: Io): { update: (line: string) => void; clear: () => void } {
  if (io.stderr.isTTY !== true) return { update: () => {}, clear: () => {} };
  let shown = false;
  return {
    update: (line) => {
      io.stderr.write(`\r\u001b[2K${line}`);
      shown = true;
    },
    clear: () => {
      if (shown) io.stderr.write("\r\u001b[2K");
    },
  };
}

export function render(report: Report, options: CliOptions, io: Io): string {
  if (options.format === "json") return renderJson(report);
  if (options.format === "markdown") return renderMarkdown(report, { top: options.top });
  if (options.format === "html") return renderHtml(report, { top: options.top });
  if (options.output !== undefined) return renderTable(report, { top: options.top });
  const color = io.stdout.isTTY === true && !("NO_COLOR" in io.env && io.env.NO_COLOR !== "");
  const width = io.stdout.isTTY === true ? (io.stdout.columns ?? 80) : undefined;
  return renderTable(report, { color, width, top: options.top });
}
