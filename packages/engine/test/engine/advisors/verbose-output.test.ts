// verbose-output: answers cut at max_tokens, and answers far above the step's usual output.
import { describe, expect, it } from "vitest";
import { call, findings, root } from "./insight-spans.js";

const answer = (k: number, output: number, finish = "stop") =>
  call({ id: `L${k}`, parent: "R", start: k * 1000, end: k * 1000 + 1000, input: 200, output, finish: [finish], maxTokens: 1024 });

describe("verbose-output", () => {
  it("an answer cut at max_tokens: its output tokens and its time", () => {
    const [f] = findings([root(2000), answer(0, 120), answer(1, 1024, "length")], "verbose-output");
    // 1,024 tokens × $10 per million (gpt-4o output), the whole second call
    expect(f).toMatchObject({ id: "verbose-output:openai gpt-4o", estimatedSavingMs: 1000, estimatedSavingUsd: 0.01024 });
    expect(f!.evidence).toContain("1 answer(s) cut at their token limit (max_tokens 1024)");
  });

  it("an answer 10× the usual one: the tokens beyond the median and their share of the time", () => {
    const spans = [root(6000), ...[100, 110, 90, 105, 95].map((o, k) => answer(k, o)), answer(5, 1000)];
    const [f] = findings(spans, "verbose-output");
    // 1,000 - median 100 = 900 tokens; 900 / 1,000 of its 1 s
    expect(f).toMatchObject({ estimatedSavingMs: 900, estimatedSavingUsd: 0.009 });
  });

  it("stays silent on complete answers of the usual size", () => {
    expect(findings([root(6000), ...[100, 110, 90, 105, 95, 130].map((o, k) => answer(k, o))], "verbose-output")).toEqual([]);
  });
});
