// A tool call's arguments as the CLI's options: the same parser and checks as the command line
// (a bad window is the same one-line error), with the Jaeger and Prometheus of the server's own
// configuration — a tool cannot name another host — and files only below the allowed folders.
import { CommanderError } from "commander";
import { buildProgram, readOptions, type CliOptions } from "../cli/options.js";
import type { AllowedPaths } from "./allowed-paths.js";

export interface ServerConfig {
  jaegerUrl: string;
  prometheusUrl: string;
  /** --header values of the server's command line, for Jaeger and Prometheus. */
  headers: readonly string[];
  allowed: AllowedPaths;
  env: NodeJS.ProcessEnv;
}

export interface WindowArgs {
  source?: "auto" | "jaeger" | "prometheus" | "file";
  file?: string;
  since?: string;
  until?: string;
  service?: string;
  top?: number;
}

export interface BaselineArgs {
  baselineFile?: string;
  baselineSince?: string;
  baselineUntil?: string;
  alpha?: number;
  regressionThreshold?: string;
}

export function toolOptions(args: WindowArgs & BaselineArgs, config: ServerConfig): CliOptions {
  const argv = ["--jaeger", config.jaegerUrl, "--prometheus", config.prometheusUrl, "--format", "json"];
  for (const header of config.headers) argv.push("--header", header);
  const flag = (name: string, value: string | number | undefined) => {
    if (value !== undefined) argv.push(`--${name}`, String(value));
  };
  flag("source", args.source);
  flag("file", args.file === undefined ? undefined : config.allowed.check(args.file));
  flag("since", args.since);
  flag("until", args.until);
  flag("service", args.service);
  flag("top", args.top);
  flag("baseline-file", args.baselineFile === undefined ? undefined : config.allowed.check(args.baselineFile));
  flag("baseline-since", args.baselineSince);
  flag("baseline-until", args.baselineUntil);
  flag("alpha", args.alpha);
  flag("regression-threshold", args.regressionThreshold);
  let message = "";
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: (text) => (message += text), outputError: (text) => (message += text) });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) throw new Error((message || error.message).trim().replace(/^error: /, ""));
    throw error;
  }
  // The server's environment may name a traces file (JOTTY_TRACES_FILE): it too must be allowed.
  const env = { ...config.env, JAEGER_URL: undefined, PROMETHEUS_URL: undefined };
  const options = readOptions(program, new Date(), env);
  if (options.file !== undefined && options.file !== "" && options.source !== "jaeger" && options.source !== "prometheus") {
    options.file = config.allowed.check(options.file);
  }
  return options;
}
