import { describe, expect, it } from "vitest";
import { buildReport, catalogPrices } from "../../src/engine/index.js";
import { llm } from "@jotty/test-kit/spans";

describe("catalogPrices (bundled @pydantic/genai-prices data)", () => {
  const prices = catalogPrices();

  it("gives per-token rates of known models, mapping GenAI provider names", () => {
    // OpenAI charges no premium for cache writes: they cost what input does.
    expect(prices("openai", "gpt-4o")).toEqual({ input: 2.5e-6, output: 1e-5, cacheRead: 1.25e-6, cacheWrite: 2.5e-6 });
    expect(prices("openai", "gpt-4o-mini")).toEqual({ input: 1.5e-7, output: 6e-7, cacheRead: 7.5e-8, cacheWrite: 1.5e-7 });
    // Anthropic's 5-minute cache writes cost 1.25 × input.
    const sonnet = prices("anthropic", "claude-sonnet-4-5")!;
    expect(sonnet.cacheWrite).toBeCloseTo(1.25 * sonnet.input, 15);
    expect(prices("gcp.gemini", "gemini-2.5-flash")?.input).toBeGreaterThan(0);
  });

  it("knows nothing of unknown models", () => {
    expect(prices("openai", "no-such-model-xyz")).toBeUndefined();
    expect(prices("nobody", "nothing")).toBeUndefined();
  });

  it("prices calls without gen_ai.usage.cost and finds a cheaper model for small outputs", () => {
    const report = buildReport([llm({ id: "a", start: 0, end: 100, model: "gpt-4o", input: 1000, output: 10 })], {
      source: { kind: "file", location: "x" },
      prices,
    });
    expect(report.llm.costUsd).toBe(0.0026); // 1000 × 2.5e-6 + 10 × 1e-5
    expect(report.recommendations).toEqual([
      expect.objectContaining({
        kind: "model-selection",
        target: "openai gpt-4o",
        estimatedSavingMs: 0,
        // gpt-4.1-nano: 1000 × 1e-7 + 10 × 4e-7
        estimatedSavingUsd: 0.002496,
        evidence: "1 of 1 call(s) produced at most 256 output tokens (mean 10); they cost $0.0026 on gpt-4o, $0.000104 on gpt-4.1-nano; e.g. trace t1",
      }),
    ]);
  });
});
