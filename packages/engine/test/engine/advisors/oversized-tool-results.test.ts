// oversized-tool-results: a large tool result carried by every later call of the run.
import { describe, expect, it } from "vitest";
import { call, findings, root } from "./insight-spans.js";

const turn = (k: number, results: [string, number][]) =>
  call({ id: `L${k}`, parent: "R", start: k * 1000, end: k * 1000 + 900, input: 20_000, output: 30, toolResults: results });

describe("oversized-tool-results", () => {
  it("a 60 KB search result carried by two later calls: its tokens beyond 1,000, twice", () => {
    const [f] = findings(
      [
        root(3000),
        turn(0, []),
        turn(1, [["search", 60_000]]),
        turn(2, [
          ["search", 60_000],
          ["calc", 200],
        ]),
      ],
      "oversized-tool-results",
    );
    expect(f).toMatchObject({ id: "oversized-tool-results:tool search", target: "tool search" });
    // (15,000 - 1,000) tokens × 2 calls × $2.50 per million (gpt-4o input)
    expect(f!.estimatedSavingUsd).toBeCloseTo(28_000 * 2.5e-6, 9);
    expect(f!.evidence).toMatch(/^1 result\(s\) of 16 KB or more \(largest 60 KB\) carried in 2 request\(s\)/);
    // min(14,000 × 0.09 ms, 900 ms × 14,000 / 20,000) a call
    expect(f!.estimatedSavingMs).toBeCloseTo(2 * 630, 3);
  });

  it("stays silent on small tool results", () => {
    expect(
      findings(
        [
          root(3000),
          turn(0, []),
          turn(1, [["search", 2_000]]),
          turn(2, [
            ["search", 2_000],
            ["search", 3_000],
          ]),
        ],
        "oversized-tool-results",
      ),
    ).toEqual([]);
  });
});
