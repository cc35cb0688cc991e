// Slow vs fast in one window: 30 normal runs and 6 with one step made 3× slower (and 3.1× the
// input tokens): the slowed step explains the gap.
import { afterAll, describe, expect, it } from "vitest";
import { RunRecorder } from "@jotty/engine/engine";
import { slowVsFast } from "../../src/compare/slow-vs-fast.js";
import { tempDir } from "../sources/helpers.js";
import { agentRuns } from "./agent-runs.js";
import { analyzeJson } from "./in-process.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("slowVsFast", () => {
  it("names the slowed step first in a window of 30 normal and 6 slowed runs", async () => {
    for (const seed of [31, 32, 33]) {
      const path = tmp.write(
        `mixed-${seed}.jsonl`,
        agentRuns({ runs: 36, seed, slowed: { step: 2, factor: 3, inputTokensFactor: 3.1, runs: (i) => i % 6 === 3 } }),
      );
      const { report } = await analyzeJson(["--file", path]);
      const split = report.slowVsFast!;
      // The top decile of 36 runs: the 4 slowest (all slowed ones); 2 slowed runs stay among the fast.
      expect(split.runs).toEqual({ slow: 4, fast: 32 });
      expect(split.factors[0]).toMatchObject({ kind: "step", target: "solver step 3: plan" });
      expect(split.factors[0]!.shareOfGap).toBeGreaterThan(0.8);
      expect(split.factors[0]!.inputTokens!.slowMean / split.factors[0]!.inputTokens!.fastMean).toBeGreaterThan(2.5);
      expect(split.factors.filter((f) => f.kind === "step").length).toBe(1);
    }
  });

  it("says it in the text report: more time in the step, its share of the gap, its input tokens", async () => {
    const path = tmp.write(
      "mixed-text.jsonl",
      agentRuns({ runs: 36, seed: 34, slowed: { step: 2, factor: 3, inputTokensFactor: 3.1, runs: (i) => i % 6 === 3 } }),
    );
    const { main } = await import("../../src/cli/main.js");
    let out = "";
    await main(["--file", path], { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env: {} });
    expect(out).toMatch(/slow runs spend 2\.\d\d s more in solver step 3: plan \((8|9)\d % of the gap\): [23]\.\d× the input tokens/);
  });

  it("needs at least 3 slow and 3 fast runs", () => {
    const recorder = new RunRecorder();
    expect(slowVsFast(recorder.records())).toBeUndefined();
  });
});
