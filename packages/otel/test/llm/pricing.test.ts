import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { resetPriceOverrides, setPriceOverrides } from "../../src/llm/price-overrides.js";
import { priceRates, priceUsage } from "../../src/llm/pricing.js";
import { installHarness } from "../otel-harness.js";

const h = installHarness();
const dir = await mkdtemp(join(tmpdir(), "jotty-prices-"));
afterAll(() => rm(dir, { recursive: true }));

beforeEach(() => {
  h.reset();
  delete process.env.JOTTY_PRICES;
  resetPriceOverrides();
});

/** Warnings emitted (process.emitWarning) while fn runs, with their codes. */
async function warningsDuring(fn: () => unknown): Promise<{ code?: string; message: string }[]> {
  const seen: { code?: string; message: string }[] = [];
  const listener = (warning: Error & { code?: string }) => seen.push({ code: warning.code, message: warning.message });
  process.on("warning", listener);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on nextTick
  } finally {
    process.off("warning", listener);
  }
  return seen;
}

const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 400_000 };

describe("priceUsage() from the genai-prices catalog", () => {
  it("prices known models with cache rates, mapping gen_ai.provider.name to catalog ids", () => {
    // gpt-4o-mini: $0.15/M input, $0.075/M cached, $0.60/M output
    expect(priceUsage("openai", "gpt-4o-mini", usage)).toBeCloseTo(0.6 * 0.15 + 0.4 * 0.075 + 0.1 * 0.6, 10);
    // claude-sonnet-4-5: $3/M input, $15/M output (recorded fixture's dated id)
    expect(priceUsage("anthropic", "claude-sonnet-4-5-20250929", { inputTokens: 12, outputTokens: 29 })).toBeCloseTo((12 * 3 + 29 * 15) / 1e6, 12);
    expect(priceUsage("gcp.gemini", "gemini-2.5-flash", { inputTokens: 1e6, outputTokens: 0 })).toBeGreaterThan(0);
    expect(priceUsage("x_ai", "grok-3-mini", { inputTokens: 1e6, outputTokens: 0 })).toBeCloseTo(0.3, 10);
  });

  it("tries the response model first, then the request model", () => {
    const byRequest = priceUsage("openai", [undefined, "gpt-4o-mini"], usage);
    expect(byRequest).toBe(priceUsage("openai", "gpt-4o-mini", usage));
    expect(priceUsage("openai", ["gpt-4o", "gpt-4o-mini"], usage)).toBe(priceUsage("openai", "gpt-4o", usage));
  });

  it("gives no price for an unknown model and warns once per provider/model", async () => {
    const warnings = await warningsDuring(() => {
      expect(priceUsage("openai", "in-house-model-7", usage)).toBeUndefined();
      expect(priceUsage("openai", "in-house-model-7", usage)).toBeUndefined();
      expect(priceUsage("acme", "in-house-model-7", usage)).toBeUndefined();
    });
    expect(warnings).toEqual([
      { code: "JOTTY_UNKNOWN_PRICE", message: expect.stringContaining("openai/in-house-model-7") },
      { code: "JOTTY_UNKNOWN_PRICE", message: expect.stringContaining("acme/in-house-model-7") },
    ]);
  });

  it("leaves the cost attribute off an llm_call whose model has no price", async () => {
    await warningsDuring(() => llmCall({ provider: "openai", model: "mystery-model" }, async (call) => call.setUsage({ inputTokens: 10, outputTokens: 5 })));
    const span = h.span("llm_call");
    expect(span.attributes["gen_ai.usage.input_tokens"]).toBe(10);
    expect("gen_ai.usage.cost" in span.attributes).toBe(false);
  });
});

describe("priceRates() for the engine's cheaper-model estimates", () => {
  it("reads catalog rates below long-context tiers, as the analyzer does", () => {
    // claude-sonnet-4-5 charges $3/MTok input up to 200k tokens and $6/MTok above.
    const rates = priceRates("anthropic", "claude-sonnet-4-5");
    expect(rates?.input).toBeCloseTo(3e-6, 12);
    expect(rates?.output).toBeCloseTo(15e-6, 12);
    expect(priceRates("openai", "no-such-model-xyz")).toBeUndefined();
  });

  it("takes an override first", () => {
    setPriceOverrides({ "openai/gpt-4o": { inputPerMTok: 1, outputPerMTok: 2 } });
    expect(priceRates("openai", "gpt-4o")).toEqual({ input: 1e-6, output: 2e-6, cacheRead: 1e-6 });
  });
});

describe("price overrides", () => {
  it("setPriceOverrides() prices unknown models and wins over the catalog", () => {
    setPriceOverrides({
      "openai/in-house": { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 },
      "gpt-4o-mini": { inputPerMTok: 1, outputPerMTok: 1 },
    });
    expect(priceUsage("openai", "in-house", usage)).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.1 * 8, 12);
    // cache reads default to the input price when no cache price is given
    expect(priceUsage("openai", "gpt-4o-mini", usage)).toBeCloseTo(1.1, 12);
    // "provider/model" keys only match that provider
    expect(priceUsage("azure", "in-house", usage)).toBeUndefined();
  });

  it("prices cache writes at cacheWritePerMTok", () => {
    setPriceOverrides({ "anthropic/house-claude": { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 } });
    const cost = priceUsage("anthropic", "house-claude", {
      inputTokens: 1250,
      outputTokens: 10,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
    });
    expect(cost).toBeCloseTo((50 * 3 + 1000 * 0.3 + 200 * 3.75 + 10 * 15) / 1e6, 15);
  });

  it("merges successive calls, and replace: true starts over", () => {
    setPriceOverrides({ a: { inputPerMTok: 1, outputPerMTok: 1 } });
    setPriceOverrides({ b: { inputPerMTok: 2, outputPerMTok: 2 } });
    expect(priceUsage("x", "a", { inputTokens: 1e6, outputTokens: 0 })).toBe(1);
    setPriceOverrides({ b: { inputPerMTok: 2, outputPerMTok: 2 } }, { replace: true });
    expect(priceUsage("x", "b", { inputTokens: 1e6, outputTokens: 0 })).toBe(2);
  });

  it("rejects a malformed override from code with a TypeError naming it", () => {
    expect(() => setPriceOverrides({ m: { inputPerMTok: -1, outputPerMTok: 1 } })).toThrow(
      /setPriceOverrides: "m": "inputPerMTok" must be a non-negative number/,
    );
    expect(() => setPriceOverrides({ m: { outputPerMTok: 1 } as never })).toThrow(/missing "inputPerMTok"/);
  });

  it("reads JOTTY_PRICES and sets the cost on the span; code overrides win over the file", async () => {
    const file = join(dir, "prices.json");
    await writeFile(
      file,
      JSON.stringify({
        "openai/in-house": { inputPerMTok: 4, outputPerMTok: 16 },
        "other-model": { inputPerMTok: 1, outputPerMTok: 2 },
      }),
    );
    process.env.JOTTY_PRICES = file;
    await llmCall({ provider: "openai", model: "in-house" }, async (call) => call.setUsage({ inputTokens: 1000, outputTokens: 500 }));
    expect(h.span("llm_call").attributes["gen_ai.usage.cost"]).toBeCloseTo((1000 * 4 + 500 * 16) / 1e6, 15);
    setPriceOverrides({ "in-house": { inputPerMTok: 1, outputPerMTok: 1 } });
    expect(priceUsage("openai", "in-house", { inputTokens: 1e6, outputTokens: 0 })).toBe(1);
  });

  it("a JOTTY_PRICES file that is not JSON costs one warning line and nothing else", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, "{ not json");
    process.env.JOTTY_PRICES = file;
    const warnings = await warningsDuring(() => {
      expect(priceUsage("openai", "gpt-4o-mini", usage)).toBeGreaterThan(0);
      expect(priceUsage("openai", "gpt-4o-mini", usage)).toBeGreaterThan(0);
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe("JOTTY_PRICES");
    expect(warnings[0]!.message).toContain(`JOTTY_PRICES=${file} ignored`);
    expect(warnings[0]!.message).not.toContain("\n");
  });

  it("a missing file and bad entries are reported in one line; good entries are kept", async () => {
    process.env.JOTTY_PRICES = join(dir, "does-not-exist.json");
    const missing = await warningsDuring(() => priceUsage("openai", "gpt-4o-mini", usage));
    expect(missing.map((w) => w.message)).toEqual([expect.stringMatching(/does-not-exist\.json ignored: ENOENT/)]);

    resetPriceOverrides();
    const file = join(dir, "partly-bad.json");
    await writeFile(file, JSON.stringify({ good: { inputPerMTok: 1, outputPerMTok: 1 }, bad: { inputPerMTok: "1" }, worse: 3 }));
    process.env.JOTTY_PRICES = file;
    const partly = await warningsDuring(() => expect(priceUsage("x", "good", { inputTokens: 1e6, outputTokens: 1e6 })).toBe(2));
    expect(partly).toHaveLength(1);
    expect(partly[0]!.message).toContain(`skipped "bad" ("inputPerMTok" must be a non-negative number), "worse" (not an object)`);
  });
});
