// --fail-on regressions through the real jotty-analyze process: exit 3 on a step made 3× slower,
// 0 on an unchanged re-run, 2 without a baseline or with a bad threshold.
import { afterAll, describe, expect, it } from "vitest";
import { expectOneLineError, runCli } from "../cli/run-cli.js";
import { tempDir } from "../sources/helpers.js";
import { agentRuns } from "./agent-runs.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const baseline = tmp.write("base.jsonl", agentRuns({ runs: 12, seed: 21 }));

describe("--fail-on regressions (real CLI process)", () => {
  it("exits 3 when a step is 3× slower, and says so in the report", async () => {
    const slowed = tmp.write("slowed.jsonl", agentRuns({ runs: 12, seed: 22, slowed: { step: 3, factor: 3 } }));
    const run = await runCli(["--file", slowed, "--baseline-file", baseline, "--fail-on", "regressions", "--format", "json"]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report.comparison.regressions.map((r: { target: string }) => r.target)).toContain("solver step 4: solve");
  });

  it("exits 0 on an unchanged re-run", async () => {
    const rerun = tmp.write("rerun.jsonl", agentRuns({ runs: 12, seed: 23 }));
    const run = await runCli(["--file", rerun, "--baseline-file", baseline, "--fail-on", "regressions"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Compared with the baseline");
  });

  it("a threshold above the change lets it pass: --regression-threshold time=300%", async () => {
    const slowed = tmp.write("slowed2.jsonl", agentRuns({ runs: 12, seed: 24, slowed: { step: 3, factor: 2 } }));
    const run = await runCli(["--file", slowed, "--baseline-file", baseline, "--fail-on", "regressions", "--regression-threshold", "time=300%"]);
    expect(run.code).toBe(0);
  });

  it("exits 2 with one line for --fail-on without a baseline and for a bad threshold", async () => {
    expectOneLineError(await runCli(["--file", baseline, "--fail-on", "regressions"]), 2, /--fail-on regressions needs a baseline/);
    expectOneLineError(
      await runCli(["--file", baseline, "--baseline-file", baseline, "--regression-threshold", "fast"]),
      2,
      /--regression-threshold.*expected a share/,
    );
    expectOneLineError(await runCli(["--source", "prometheus", "--baseline-since", "2d"]), 2, /needs per-run values/);
  });

  it("exits 1 with one line when the baseline file cannot be read", async () => {
    expectOneLineError(await runCli(["--file", baseline, "--baseline-file", `${tmp.dir}/missing.jsonl`]), 1, /missing\.jsonl/);
  });
});
