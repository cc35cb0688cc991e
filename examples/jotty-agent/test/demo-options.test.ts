// The demo's other paths: explicit llmCall() spans, export over OTLP when a Collector answers,
// and bad usage.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report } from "@jotty/analyzer";
import { startSimulator, type Simulator } from "@jotty/llm-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFaults, expectedSteps, findScenarios } from "../src/scenarios.ts";
import { runProcess, type ProcessResult } from "./run-process.ts";

const demo = fileURLToPath(new URL("../src/demo.ts", import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [demo, ...args], { env });
}

describe("demo with --llm-spans explicit and a Collector listening", () => {
  let simulator: Simulator;
  let collector: Server;
  const exports: { path: string; bytes: number }[] = [];
  let dir: string;
  let report: Report;
  let stderr: string;

  beforeAll(async () => {
    simulator = await startSimulator({ timeScale: 0.05, faults: demoFaults() });
    // a stand-in OTLP/HTTP receiver: accepts whatever is posted and answers 200 like a Collector
    collector = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (chunk: Buffer) => (bytes += chunk.length));
      req.on("end", () => {
        exports.push({ path: req.url ?? "", bytes });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    dir = mkdtempSync(join(tmpdir(), "jotty-demo-options-"));
    const result = await run(
      [
        ...["--scenario", "code-generation", "--llm-spans", "explicit", "--format", "json", "--time-scale", "0.05"],
        ...["--simulator-url", simulator.url, "--traces-file", join(dir, "traces.jsonl")],
      ],
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_METRICS_EXPORTER: "none" },
    );
    stderr = result.stderr;
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as Report;
  }, 120_000);

  afterAll(async () => {
    await simulator?.close();
    collector?.closeAllConnections();
    await new Promise((resolve) => collector?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("makes one llm_call per step attempt with the tokens the simulator billed", () => {
    const expected = expectedSteps(findScenarios("code-generation"), 1, true);
    // llmCall() spans one logical call, including the openai client's own retries of the 429s
    expect(report.llm.calls).toBe(expected.reduce((n, s) => n + s.attempts, 0));
    const answered = simulator.ledger.entries.filter((e) => e.status === 200);
    expect(report.llm.inputTokens).toBe(answered.reduce((n, e) => n + e.promptTokens, 0));
    expect(report.llm.outputTokens).toBe(answered.reduce((n, e) => n + e.completionTokens, 0));
    expect(report.steps.map((s) => [s.name, s.retries])).toEqual(expected.map((s) => [s.name, s.attempts - 1]));
  });

  it("also sends the spans over OTLP when a Collector answers", () => {
    expect(stderr).toContain(`and OTLP http://127.0.0.1:`);
    const traces = exports.filter((e) => e.path === "/v1/traces");
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.reduce((n, e) => n + e.bytes, 0)).toBeGreaterThan(1000);
    expect(readFileSync(join(dir, "traces.jsonl"), "utf8").length).toBeGreaterThan(1000);
  });
});

describe("demo usage errors", () => {
  it("exits 2 with one clear line for a bad option", async () => {
    const { code, stdout, stderr } = await run(["--format", "yaml"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.split("\n")[0]).toBe('demo: --format must be table, json or markdown, got "yaml"');
  });

  it("names the scenarios when asked for an unknown one", async () => {
    const { code, stderr } = await run(["--scenario", "poetry"]);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe('demo: unknown scenario "poetry" (one of: all, problem-solving, code-generation, research)');
  });
});
