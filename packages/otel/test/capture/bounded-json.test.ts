import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedJson } from "../../src/capture/bounded-json.js";

describe("boundedJson", () => {
  it("leaves small values whole", () => {
    expect(boundedJson([{ role: "user", parts: [{ type: "text", content: "hi" }] }], 1000)).toEqual({
      json: '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
      truncated: false,
    });
  });

  it("always valid JSON within the limit, shortening text before dropping messages", () => {
    const message = fc.record({
      role: fc.constantFrom("user", "assistant"),
      parts: fc.array(fc.record({ type: fc.constant("text"), content: fc.string({ unit: "grapheme", maxLength: 400 }) }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 12 }), fc.integer({ min: 2, max: 2000 }), (messages, max) => {
        const { json, truncated } = boundedJson(messages, max);
        expect(json.length).toBeLessThanOrEqual(max);
        const parsed: unknown = JSON.parse(json);
        expect(Array.isArray(parsed)).toBe(true);
        if (!truncated) expect(parsed).toEqual(messages);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the newest messages when even empty texts do not fit", () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({ role: "user", parts: [{ type: "text", content: `message ${i}` }] }));
    const parsed = JSON.parse(boundedJson(messages, 200).json) as Array<{ parts: Array<{ content: string }> }>;
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.length).toBeLessThan(50);
    expect(parsed.at(-1)!.parts[0]!.content.startsWith("m")).toBe(true);
  });
});
