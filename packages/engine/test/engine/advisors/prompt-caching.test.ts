// prompt-caching: a long prefix resent without cache reads; cache writes never read back.
import { describe, expect, it } from "vitest";
import { call, findings, root } from "./insight-spans.js";

// Three turns of one conversation: system (6,000 tokens), then the messages.
const turn = (k: number, cacheRead: number, extra: object = {}) =>
  call({
    id: `L${k}`,
    parent: "R",
    start: k * 1000,
    end: k * 1000 + 800,
    input: 6000 + 100 * (k + 1),
    output: 50,
    cacheRead,
    prefix: [["sys", 6000], ...Array.from({ length: k + 1 }, (_, j) => [`m${j}`, 6000 + 100 * (j + 1)] as [string, number])],
    ...extra,
  });

describe("prompt-caching", () => {
  it("the 6,000-token prefix resent twice without cache reads: saving at full minus cached price", () => {
    const [f] = findings([root(3000), turn(0, 0), turn(1, 0), turn(2, 0)], "prompt-caching");
    expect(f).toMatchObject({ id: "prompt-caching:openai gpt-4o", target: "openai gpt-4o" });
    // turn 1 resends 6,100 tokens, turn 2 6,200: 12,300 × ($2.50 - $1.25) per million (gpt-4o)
    expect(f!.estimatedSavingUsd).toBeCloseTo(12_300 * 1.25e-6, 9);
    expect(f!.fix).toContain("prompt_cache_key");
    expect(f!.examples).toEqual([{ traceId: "t1", spanId: "L1" }]);
  });

  it("names Anthropic's cache_control for Anthropic calls", () => {
    const spans = [
      root(3000),
      turn(0, 0, { provider: "anthropic", model: "claude-haiku-4-5" }),
      turn(1, 0, { provider: "anthropic", model: "claude-haiku-4-5" }),
    ];
    expect(findings(spans, "prompt-caching")[0]!.fix).toContain("cache_control");
  });

  it("stays silent when the prefix is read from the cache", () => {
    expect(findings([root(3000), turn(0, 0), turn(1, 6016), turn(2, 6144)], "prompt-caching")).toEqual([]);
  });

  it("stays silent on short prompts (below 1,024 shared tokens)", () => {
    const short = (k: number) =>
      call({
        id: `S${k}`,
        parent: "R",
        start: k * 100,
        end: k * 100 + 50,
        input: 300,
        output: 20,
        prefix: [
          ["sys", 200],
          [`u${k}`, 300],
        ],
      });
    expect(findings([root(400), short(0), short(1), short(2)], "prompt-caching")).toEqual([]);
  });

  it("cache writes never read back are their own finding", () => {
    const spans = [
      root(3000),
      turn(0, 0, { provider: "anthropic", model: "claude-haiku-4-5", cacheWrite: 6000, prefix: [["a", 6000]] }),
      turn(1, 0, { provider: "anthropic", model: "claude-haiku-4-5", cacheWrite: 6000, prefix: [["b", 6000]] }),
    ];
    const f = findings(spans, "prompt-caching");
    expect(f.map((x) => x.id)).toEqual(["prompt-caching:anthropic claude-haiku-4-5 (cache writes never read)"]);
    // 12,000 tokens × (cache write $1.25 − input $1) per million
    expect(f[0]!.estimatedSavingUsd).toBeCloseTo(12_000 * 0.25e-6, 9);
  });
});
