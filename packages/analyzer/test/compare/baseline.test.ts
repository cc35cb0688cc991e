// --baseline-file on generated windows of known truth: a step made 3× slower is a significant
// regression and the steady steps are not; unchanged re-runs (several seeds) raise no alarm.
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../sources/helpers.js";
import { agentRuns } from "./agent-runs.js";
import { analyzeJson } from "./in-process.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("--baseline-file", () => {
  it("lists a step made 3× slower as a significant regression, and no steady step", async () => {
    const baseline = tmp.write("base.jsonl", agentRuns({ runs: 20, seed: 1 }));
    const current = tmp.write("slow.jsonl", agentRuns({ runs: 20, seed: 2, slowed: { step: 2, factor: 3 } }));
    const { code, report } = await analyzeJson(["--file", current, "--baseline-file", baseline]);
    expect(code).toBe(0);
    const c = report.comparison!;
    expect(c.runs.count).toEqual({ baseline: 20, current: 20 });
    const plan = c.steps.find((s) => s.name === "plan")!;
    expect(plan.msPerRun.significant).toBe(true);
    expect(plan.p50Ms.significant).toBe(true);
    expect(plan.p50Ms.ratio).toBeGreaterThan(2.5);
    for (const steady of c.steps.filter((s) => s.name !== "plan")) {
      expect({ step: steady.name, p50: steady.p50Ms.significant, input: steady.inputTokens.significant }).toEqual({
        step: steady.name,
        p50: false,
        input: false,
      });
    }
    const stepRegressions = c.regressions.filter((r) => r.scope === "step");
    expect(stepRegressions.map((r) => [r.target, r.metric])).toEqual([["solver step 3: plan", "time"]]);
    expect(c.regressions.some((r) => r.scope === "run" && r.metric === "time")).toBe(true);
    // The model's calls got slower too (the step's call is one of them); tokens did not change.
    expect(c.regressions.filter((r) => r.metric !== "time")).toEqual([]);
  });

  it("finds no regression and no significant change between unchanged re-runs (five seeds)", async () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const baseline = tmp.write(`steady-${seed}-a.jsonl`, agentRuns({ runs: 20, seed }));
      const current = tmp.write(`steady-${seed}-b.jsonl`, agentRuns({ runs: 20, seed: seed + 1000 }));
      const c = (await analyzeJson(["--file", current, "--baseline-file", baseline])).report.comparison!;
      const significant = [
        ...Object.entries(c.runs)
          .filter(([k, v]) => k !== "count" && (v as { significant: boolean }).significant)
          .map(([k]) => k),
        ...[...c.steps, ...c.models].flatMap((p) =>
          (["msPerRun", "p50Ms", "inputTokens", "outputTokens", "costUsd", "calls", "errors"] as const)
            .filter((k) => p[k].significant)
            .map((k) => `${"name" in p ? p.name : p.model}.${k}`),
        ),
      ];
      expect({ seed, regressions: c.regressions, significant }).toEqual({ seed, regressions: [], significant: [] });
      expect(c.test.tests).toBeGreaterThan(10);
    }
  });

  it("marks each finding new, persisting or resolved by its id", async () => {
    const baseline = tmp.write("f-base.jsonl", agentRuns({ runs: 8, seed: 3, retried: [2, 4] }));
    const current = tmp.write("f-now.jsonl", agentRuns({ runs: 8, seed: 4, retried: [2, 3] }));
    const c = (await analyzeJson(["--file", current, "--baseline-file", baseline])).report.comparison!;
    const byId = Object.fromEntries(c.findings.filter((f) => f.kind === "timeouts").map((f) => [f.id, f.status]));
    expect(byId).toEqual({
      'timeouts:step 3: plan ("solver")': "persisting",
      'timeouts:step 4: solve ("solver")': "new",
      'timeouts:step 5: answer ("solver")': "resolved",
    });
  });

  it("reads the baseline from the same file by --baseline-since/--baseline-until", async () => {
    const runs = agentRuns({ runs: 20, seed: 5 }).trimEnd().split("\n");
    // 20 runs 20 s apart from 20:00:00Z: the first ten are the baseline window, the rest the current one.
    const path = tmp.write("both.jsonl", `${runs.join("\n")}\n`);
    const { code, report } = await analyzeJson([
      "--file",
      path,
      "--since",
      "2025-11-25T20:03:20Z",
      "--until",
      "2025-11-25T21:00:00Z",
      "--baseline-since",
      "2025-11-25T20:00:00Z",
      "--baseline-until",
      "2025-11-25T20:03:19Z",
    ]);
    expect(code).toBe(0);
    expect(report.comparison!.runs.count).toEqual({ baseline: 10, current: 10 });
    expect(report.comparison!.baseline.window).toEqual({ start: "2025-11-25T20:00:00.000Z", end: "2025-11-25T20:03:19.000Z" });
  });

  it("renders the comparison in the table, markdown and HTML views", async () => {
    const baseline = tmp.write("r-base.jsonl", agentRuns({ runs: 10, seed: 6 }));
    const current = tmp.write("r-slow.jsonl", agentRuns({ runs: 10, seed: 7, slowed: { step: 2, factor: 3 } }));
    const { main } = await import("../../src/cli/main.js");
    for (const format of ["table", "markdown", "html"]) {
      let out = "";
      const code = await main(["--file", current, "--baseline-file", baseline, "--format", format], {
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: () => true },
        env: {},
      });
      expect(code).toBe(0);
      expect(out).toContain("Steps compared");
      expect(out).toMatch(/solver step 3: plan/);
      expect(out).toMatch(/Regressions \(\d+\)/);
    }
  });
});
