// tool-loop: the same tool with the same arguments three times in a run.
import { describe, expect, it } from "vitest";
import { call, findings, root } from "./insight-spans.js";

const asks = (k: number, hash: string, trace = "t1") =>
  call({ trace, id: `L${k}`, parent: "R", start: k * 100, end: k * 100 + 80, input: 500, output: 20, cost: 0.001, toolCalls: [["search", hash]] });

describe("tool-loop", () => {
  it("search with the same arguments 3×: the calls that asked for the two repeats are the saving", () => {
    const [f] = findings([root(400), asks(0, "h1"), asks(1, "h1"), asks(2, "h1"), asks(3, "h2")], "tool-loop");
    expect(f).toMatchObject({ id: "tool-loop:tool search", target: "tool search", estimatedSavingMs: 160, estimatedSavingUsd: 0.002 });
    expect(f!.examples).toEqual([{ traceId: "t1", spanId: "L1" }]);
  });

  it("stays silent on distinct arguments, and on the same call spread over separate runs", () => {
    expect(findings([root(400), asks(0, "h1"), asks(1, "h2"), asks(2, "h3")], "tool-loop")).toEqual([]);
    const spread = ["a", "b", "c"].flatMap((t, k) => [root(400, t), asks(k, "h1", t)]);
    expect(findings(spread, "tool-loop")).toEqual([]);
  });
});
