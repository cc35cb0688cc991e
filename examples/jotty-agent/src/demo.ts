// `pnpm demo`: starts the LLM simulator, runs the seed's scenarios in an instrumented child
// process (its spans are flushed when it exits), then prints the analyzer's report of that run.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { renderHtml } from "@jotty/analyzer";
import { parseArgs } from "node:util";
import { startSimulator, type Simulator } from "@jotty/llm-simulator";
import { collectorAnswers } from "./collector-probe.ts";
import { renderReport, reportFromTracesFile, type ReportFormat } from "./report.ts";
import { demoFaults, findScenarios } from "./scenarios.ts";
import type { AgentSummary } from "./agent.ts";

const USAGE = `usage: pnpm demo [--time-scale 0.1] [--scenario all|problem-solving|code-generation|research]
                 [--format table|json|markdown] [--html] [--seed 1] [--no-faults] [--llm-spans explicit|capture]
                 [--traces-file .jotty/demo/traces.jsonl] [--summary-file path] [--simulator-url URL]`;

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseDemoArgs() {
  return parseArgs({
    options: {
      "time-scale": { type: "string", default: "0.1" },
      scenario: { type: "string", default: "all" },
      format: { type: "string", default: "table" },
      html: { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      "no-faults": { type: "boolean", default: false },
      "llm-spans": { type: "string", default: "capture" },
      "traces-file": { type: "string", default: ".jotty/demo/traces.jsonl" },
      "summary-file": { type: "string" },
      "simulator-url": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
}

function options() {
  let values: ReturnType<typeof parseDemoArgs>;
  try {
    values = parseDemoArgs();
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const timeScale = Number(values["time-scale"]);
  if (!(timeScale > 0 && timeScale <= 10)) fail(`--time-scale must be a number in (0, 10], got "${values["time-scale"]}"`);
  const format = values.format as ReportFormat;
  if (!["table", "json", "markdown"].includes(format)) fail(`--format must be table, json or markdown, got "${values.format}"`);
  if (!["explicit", "capture"].includes(values["llm-spans"])) fail(`--llm-spans must be explicit or capture`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  try {
    findScenarios(values.scenario);
  } catch (error) {
    fail((error as Error).message);
  }
  return { ...values, timeScale, format, seed };
}

async function main() {
  const opts = options();
  const tracesFile = resolve(opts["traces-file"]);
  mkdirSync(resolve(tracesFile, ".."), { recursive: true });
  rmSync(tracesFile, { force: true }); // this run's spans only
  const summaryFile = resolve(opts["summary-file"] ?? `${tracesFile}.summary.json`);

  let simulator: Simulator | undefined;
  let baseUrl = opts["simulator-url"];
  if (!baseUrl) {
    simulator = await startSimulator({ timeScale: opts.timeScale, faults: opts["no-faults"] ? [] : demoFaults() });
    baseUrl = simulator.url;
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_BASE_URL: baseUrl,
    OPENAI_API_KEY: process.env.OPENAI_API_KEY ?? "sk-simulated",
    JOTTY_TRACES_FILE: tracesFile,
    OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? "jotty-agent",
  };
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318";
  const otlp = await collectorAnswers(endpoint);
  if (!otlp) {
    env.OTEL_TRACES_EXPORTER ??= "none";
    env.OTEL_METRICS_EXPORTER ??= "none";
  }
  process.stderr.write(
    `demo: LLM simulator at ${baseUrl} (time scale ${opts.timeScale}); traces → ${tracesFile}` +
      `${otlp ? ` and OTLP ${endpoint}` : ` (no Collector at ${endpoint}: file only)`}\n`,
  );

  const agent = new URL("./agent.ts", import.meta.url).pathname;
  const args = [
    agent,
    ...["--scenario", opts.scenario, "--time-scale", String(opts.timeScale), "--seed", String(opts.seed)],
    ...["--llm-spans", opts["llm-spans"], "--summary-file", summaryFile],
  ];
  // The child's stdout goes to our stderr: stdout carries only the report.
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", 2, 2] });
  const code = await new Promise<number>((done) => child.once("exit", (c, signal) => done(c ?? (signal ? 1 : 0))));
  await simulator?.close();

  const report = await reportFromTracesFile(tracesFile, { waterfall: opts.html });
  process.stdout.write(`${renderReport(report, opts.format, process.stdout).trimEnd()}\n`);
  if (opts.html) {
    const htmlFile = join(dirname(tracesFile), "report.html");
    writeFileSync(htmlFile, renderHtml(report));
    process.stderr.write(`demo: HTML report → ${htmlFile} (open it in a browser; it needs no network)\n`);
  }

  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as AgentSummary;
  if (simulator) {
    const busy = simulator.ledger.busyMs(summary.startedAtMs, summary.endedAtMs);
    process.stderr.write(
      `demo: the simulator answered ${simulator.ledger.entries.length} requests, busy ${(busy / 1000).toFixed(1)} s ` +
        `of the agent's ${(summary.wallMs / 1000).toFixed(1)} s (${((100 * busy) / summary.wallMs).toFixed(1)} %); ` +
        `report: pnpm analyze --file ${tracesFile}\n`,
    );
  }
  if (code !== 0) {
    process.stderr.write(`demo: the agent exited with code ${code}\n`);
    process.exitCode = 1;
  }
}

await main();
