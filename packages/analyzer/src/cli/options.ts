// The command line (ARCHITECTURE "Analyzer CLI and report contract"), parsed by commander.
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_PAGE_SIZE } from "../sources/jaeger.js";
import { addCompareOptions, readCompareOptions, type CompareCliOptions } from "./compare-options.js";
import { isReportableInstant, lacksOffset, parseDuration, parseInstant } from "./duration.js";
import { headersFromEnv, parseHeaderFlag, type Headers } from "./headers.js";
import { packageVersion } from "./version.js";
import { UsageError } from "./usage-error.js";

export type SourceKind = "auto" | "jaeger" | "prometheus" | "file";
export type Format = "table" | "json" | "markdown" | "html";

export interface CliOptions extends CompareCliOptions {
  start: Date;
  end: Date;
  /** Whether --since/--until were given (a file is read whole unless they are). */
  windowGiven: boolean;
  /** --since given (without it, a file is read from its start up to --until). */
  sinceGiven: boolean;
  service?: string;
  source: SourceKind;
  /** As given (credentials included: the sources send them as Basic auth, never print them). */
  jaegerUrl: string;
  /** --jaeger-grpc: an address, false for HTTP only, absent for the default (see JaegerOptions.grpc). */
  jaegerGrpc?: string | false;
  prometheusUrl: string;
  /** --header values over JAEGER_HEADERS / PROMETHEUS_HEADERS. */
  jaegerHeaders: Headers;
  prometheusHeaders: Headers;
  file?: string;
  /** --file given on the command line (auto then reads it instead of probing Jaeger). */
  fileGiven: boolean;
  format: Format;
  /** --output: write the report to this file instead of stdout. */
  output?: string;
  top: number;
  pageSize: number;
  /** --file-workers: parts a big JSON-lines file is read in at once (default: the cores, at most 4). */
  fileWorkers?: number;
  /** --max-span: longer spans are refused as implausible (default: the engine's, 7 days). */
  maxSpanMs?: number;
}

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer.`);
  return n;
};

const positiveDuration = (value: string) => {
  const ms = parseDuration(value);
  if (ms === undefined || !(ms > 0)) throw new InvalidArgumentError("expected a duration (90m, 12h, 30d).");
  return ms;
};

const checkWhen = (value: string) => {
  if (lacksOffset(value)) throw new InvalidArgumentError("an RFC 3339 time needs its UTC offset: add Z for UTC (2026-12-07T17:00:00Z) or the offset (+01:00).");
  const instant = parseInstant(value, new Date());
  if (instant === undefined) {
    throw new InvalidArgumentError("expected a duration (30s, 5m, 1h30m, 2d), an RFC 3339 time with its offset (2026-12-07T17:00:00Z), a date, or now.");
  }
  if (!isReportableInstant(instant)) throw new InvalidArgumentError("out of range: the time must fall between 1970 and 9999.");
  return value;
};

// URLs and headers are checked after parsing (readOptions), not by commander, whose error line
// repeats the value: a password in a URL or a token in a header must never be printed.
const collect = (value: string, previous: string[]) => [...previous, value];

function checkUrl(flag: string, value: string): void {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`option '${flag} <url>': expected an http(s) URL.`);
  }
}

export function buildProgram(): Command {
  const program = new Command("jotty-analyze")
    .description("Where the time of LLM agent traces goes, what it cost, and what to change.")
    .version(packageVersion(), "-V, --version", "print the version of @jotty/analyzer")
    .addOption(
      new Option(
        "--since <when>",
        "start of the window: a duration ago (30m, 1h, 2d), an RFC 3339 time with its offset (2026-12-07T17:00:00Z), or a date (midnight UTC); default an hour before --until (a --file is read whole without --since and --until, from its start with --until alone)",
      )
        .default("1h")
        .argParser(checkWhen),
    )
    .addOption(
      new Option("--until <when>", "end of the window: a duration ago, an RFC 3339 time with its offset, a date (midnight UTC), or now")
        .default("now")
        .argParser(checkWhen),
    )
    .option("--service <name>", "only traces with a span of this service (default: every service)")
    .addOption(new Option("--source <kind>", "where traces come from").choices(["auto", "jaeger", "prometheus", "file"]).default("auto"))
    .addOption(
      new Option("--jaeger <url>", "Jaeger query URL (user:password@ in it is sent as Basic auth)").env("JAEGER_URL").default("http://localhost:16686"),
    )
    .addOption(
      new Option(
        "--jaeger-grpc <address>",
        "Jaeger's gRPC query address (host:port), read first when it answers; off: HTTP only (default: --jaeger's host at 16685 when --jaeger is at 16686)",
      ).env("JAEGER_GRPC"),
    )
    .addOption(
      new Option("--prometheus <url>", "Prometheus URL (user:password@ in it is sent as Basic auth)").env("PROMETHEUS_URL").default("http://localhost:9090"),
    )
    .addOption(
      new Option("--header <header>", "'Name: value' request header for Jaeger/Prometheus, e.g. auth (repeatable; adds to JAEGER_HEADERS / PROMETHEUS_HEADERS)")
        .argParser(collect)
        .default([]),
    )
    .addOption(new Option("--file <path>", "OTLP JSON lines, an OTLP JSON document, or a trace downloaded from Jaeger UI").env("JOTTY_TRACES_FILE"))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "markdown", "html"]).default("table"))
    .option("--output <file>", "write the report to this file instead of stdout (html: one self-contained page)")
    .addOption(new Option("--top <n>", "rows in the operations, bottlenecks and slowest-traces lists").default(10).argParser(positiveInt("--top")))
    .addOption(new Option("--max-span <duration>", "longest plausible span; longer ones are left out with a warning (default 7d)").argParser(positiveDuration))
    .addOption(
      new Option("--page-size <n>", "traces per Jaeger query; a full page splits the window")
        .env("JOTTY_JAEGER_PAGE_SIZE")
        .default(DEFAULT_PAGE_SIZE)
        .argParser(positiveInt("--page-size")),
    )
    .addOption(
      new Option("--file-workers <n>", "worker threads reading a --file of JSON lines of 64 MiB or more (default: the cores, at most 4; 1: one pass)")
        .env("JOTTY_FILE_WORKERS")
        .argParser(positiveInt("--file-workers")),
    )
    .helpOption("-h, --help", "show this help")
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  return addCompareOptions(program);
}

/** Options from a parsed program; throws UsageError for an inconsistent window. */
export function readOptions(program: Command, now: Date, env: NodeJS.ProcessEnv = process.env): CliOptions {
  const raw = program.opts<{
    since: string;
    until: string;
    service?: string;
    source: SourceKind;
    jaeger: string;
    jaegerGrpc?: string;
    prometheus: string;
    header: string[];
    file?: string;
    format: Format;
    output?: string;
    top: number;
    pageSize: number;
    maxSpan?: number;
    fileWorkers?: number;
  }>();
  checkUrl("--jaeger", raw.jaeger);
  checkUrl("--prometheus", raw.prometheus);
  const flagHeaders = Object.fromEntries(raw.header.map(parseHeaderFlag));
  const sinceGiven = program.getOptionValueSource("since") === "cli";
  const untilGiven = program.getOptionValueSource("until") === "cli";
  const end = parseInstant(raw.until, now)!;
  // The default hour ends at --until when that is given, not at now.
  const start = !sinceGiven && untilGiven ? new Date(end.getTime() - 3_600_000) : parseInstant(raw.since, now)!;
  if (start.getTime() >= end.getTime()) {
    throw new UsageError(`--since (${start.toISOString()}) must be before --until (${end.toISOString()}).`);
  }
  return {
    start,
    end,
    windowGiven: sinceGiven || untilGiven,
    sinceGiven,
    service: raw.service,
    source: raw.source,
    jaegerUrl: raw.jaeger,
    ...(raw.jaegerGrpc !== undefined ? { jaegerGrpc: raw.jaegerGrpc === "off" ? (false as const) : raw.jaegerGrpc } : {}),
    prometheusUrl: raw.prometheus,
    jaegerHeaders: { ...headersFromEnv("JAEGER_HEADERS", env), ...flagHeaders },
    prometheusHeaders: { ...headersFromEnv("PROMETHEUS_HEADERS", env), ...flagHeaders },
    file: raw.file,
    fileGiven: program.getOptionValueSource("file") === "cli",
    format: raw.format,
    output: raw.output,
    top: raw.top,
    pageSize: raw.pageSize,
    ...readCompareOptions(program, now, start, raw.source),
    ...(raw.maxSpan !== undefined ? { maxSpanMs: raw.maxSpan } : {}),
    ...(raw.fileWorkers !== undefined ? { fileWorkers: raw.fileWorkers } : {}),
  };
}
