// `pnpm demo --format json` as a user runs it, against a simulator this test owns, so the
// simulator's ledger (what the "provider" really spent) is the ground truth for the report.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report } from "@jotty/analyzer";
import { startSimulator, type Simulator } from "@jotty/llm-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentSummary } from "../src/agent.ts";
import { demoFaults, expectedSteps, SCENARIOS } from "../src/scenarios.ts";
import { runProcess } from "./run-process.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const TIME_SCALE = 0.1;
const SEED = 1;

describe("pnpm demo --format json", () => {
  let simulator: Simulator;
  let dir: string;
  let report: Report;
  let summary: AgentSummary;
  let stderr: string;

  beforeAll(async () => {
    simulator = await startSimulator({ timeScale: TIME_SCALE, faults: demoFaults() });
    dir = mkdtempSync(join(tmpdir(), "jotty-demo-test-"));
    const result = await runProcess(
      "pnpm",
      [
        "demo",
        ...["--format", "json", "--time-scale", String(TIME_SCALE), "--seed", String(SEED)],
        ...["--simulator-url", simulator.url, "--traces-file", join(dir, "traces.jsonl"), "--summary-file", join(dir, "summary.json")],
      ],
      { cwd: repoRoot, env: { NO_COLOR: "1" } },
    );
    stderr = result.stderr;
    expect(result.code, result.stderr).toBe(0);
    // pnpm prints its "> demo" banner first; the report is the JSON document after it
    report = JSON.parse(result.stdout.slice(result.stdout.indexOf("\n{") + 1)) as Report;
    summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as AgentSummary;
  }, 180_000);

  afterAll(async () => {
    await simulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reports an LLM share within 2 percentage points of what the simulator spent", () => {
    const busyMs = simulator.ledger.busyMs(summary.startedAtMs, summary.endedAtMs);
    const simulatorShare = busyMs / summary.wallMs;
    expect(simulatorShare).toBeGreaterThan(0.5);
    expect(Math.abs(report.llm.share - simulatorShare)).toBeLessThan(0.02);
    expect(Math.abs(report.wallMs - summary.wallMs) / summary.wallMs).toBeLessThan(0.02);
  });

  it("has every configured step once, with the configured retries and timeouts", () => {
    const expected = expectedSteps(SCENARIOS, SEED, true);
    expect(report.steps.map((s) => s.name).sort()).toEqual(expected.map((s) => s.name).sort());
    for (const step of expected) {
      const reported = report.steps.find((s) => s.name === step.name)!;
      expect({ name: step.name, count: reported.count, retries: reported.retries, timeouts: reported.timeouts, failures: reported.failures }).toEqual({
        name: step.name,
        count: 1,
        retries: step.attempts - 1,
        timeouts: step.timeouts,
        failures: 0,
      });
    }
    expect(report.steps.reduce((sum, s) => sum + s.retries, 0)).toBe(2); // one timeout, one failed validation (seed 1)
    expect(report.traces).toBe(3);
  });

  it("counts the tokens the simulator billed, and one LLM call per request", () => {
    const answered = simulator.ledger.entries.filter((e) => e.status === 200 && !e.aborted);
    const sum = (pick: (e: (typeof answered)[number]) => number) => answered.reduce((total, e) => total + pick(e), 0);
    expect(report.llm.inputTokens).toBe(sum((e) => e.promptTokens));
    expect(report.llm.outputTokens).toBe(sum((e) => e.completionTokens));
    expect(report.llm.cacheReadTokens).toBe(sum((e) => e.cachedTokens));
    expect(report.llm.cacheReadTokens).toBeGreaterThan(0);
    // the fetch capture makes one llm_call per HTTP request: one per step attempt, plus the two
    // 429s the openai client retried by itself
    const attempts = expectedSteps(SCENARIOS, SEED, true).reduce((total, s) => total + s.attempts, 0);
    expect(simulator.ledger.entries.filter((e) => e.status === 429)).toHaveLength(2);
    expect(simulator.ledger.entries.filter((e) => e.aborted)).toHaveLength(1); // the request the timeout cut short
    expect(simulator.ledger.entries).toHaveLength(attempts + 2);
    expect(report.llm.calls).toBe(simulator.ledger.entries.length);
    expect(report.llm.costUsd).toBeGreaterThan(0);
  });

  it("shows progress on stderr and the report on stdout", () => {
    expect(stderr).toContain("[Research Task] step 2/3 analyze_findings: attempt 1 timed out");
    expect(stderr).toContain("validate_code: retrying in");
  });
});
