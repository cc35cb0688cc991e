// `jotty-analyze mcp [--allow-dir DIR]… [--jaeger URL] [--prometheus URL] [--header H]…`: the
// MCP server; its tools read files only below the allowed folders and reach only these hosts.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { AllowedPaths } from "./allowed-paths.js";
import { serveStdio } from "./server.js";
import { terminalText } from "../render/escape.js";
import { parseHeaderFlag } from "../cli/headers.js";
import type { Io } from "../cli/run.js";

const collect = (value: string, previous: string[]) => [...previous, value];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export async function runMcpCommand(argv: string[], io: Io): Promise<number> {
  const program = new Command("jotty-analyze mcp")
    .description("Serve the analyzer's tools to coding agents over MCP (stdio).")
    .addOption(
      new Option("--allow-dir <dir>", "a folder whose files the tools may read (repeatable; default: the working directory)").argParser(collect).default([]),
    )
    .addOption(new Option("--jaeger <url>", "the Jaeger the tools query").env("JAEGER_URL").default("http://localhost:16686"))
    .addOption(new Option("--prometheus <url>", "the Prometheus the tools query").env("PROMETHEUS_URL").default("http://localhost:9090"))
    .addOption(new Option("--header <header>", "'Name: value' request header for Jaeger/Prometheus (repeatable)").argParser(collect).default([]))
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      // stdout is the protocol's channel once serving; help goes there only when asked for.
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${text.trimEnd()} (see jotty-analyze mcp --help)\n`),
    });
  let config: Parameters<typeof serveStdio>[0];
  try {
    program.parse(argv, { from: "user" });
    const raw = program.opts<{ allowDir: string[]; jaeger: string; prometheus: string; header: string[] }>();
    for (const [flag, value] of [
      ["--jaeger", raw.jaeger],
      ["--prometheus", raw.prometheus],
    ] as const) {
      const url = URL.parse(value);
      if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) throw new Error(`option '${flag} <url>': expected an http(s) URL.`);
    }
    raw.header.forEach(parseHeaderFlag);
    config = {
      allowed: new AllowedPaths(raw.allowDir.length > 0 ? raw.allowDir : ["."]),
      jaegerUrl: raw.jaeger,
      prometheusUrl: raw.prometheus,
      headers: raw.header,
      env: io.env,
    };
  } catch (error) {
    if (error instanceof CommanderError) return error.code === "commander.helpDisplayed" ? 0 : 2;
    io.stderr.write(`error: ${terminalText(error instanceof Error ? error.message : String(error))} (see jotty-analyze mcp --help)\n`);
    return 2;
  }
  await serveStdio(config, version());
  return 0;
}
