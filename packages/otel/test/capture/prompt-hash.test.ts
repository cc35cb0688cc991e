import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { promptHash } from "../../src/capture/prompt-hash.js";

/**
 * The definition, written the plain way: keys sorted at every level (by string, so integer-like
 * keys sort as text too, which an object would reorder), transport keys out, model set.
 */
function reference(body: Record<string, unknown>, model: string): string {
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .sort()
      .filter((key) => object[key] !== undefined);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(",")}}`;
  };
  const ignored = new Set(["stream", "stream_options", "user", "metadata", "store", "service_tier"]);
  const kept = Object.fromEntries(Object.entries({ ...body, model }).filter(([key]) => !ignored.has(key)));
  return createHash("sha256").update(canonical(kept)).digest("hex").slice(0, 32);
}

const recordedRequest = () =>
  JSON.parse(readFileSync(new URL("../../../../fixtures/llm/openai-chat/openai-text.json", import.meta.url), "utf8")).choices[0].message;

describe("promptHash", () => {
  it("is sha256 of the canonical JSON (sorted keys, transport keys left out) for any JSON body", () => {
    const json = fc.jsonValue();
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 8 }), fc.string(), (body, model) => {
        Reflect.deleteProperty(body, "__proto__");
        expect(promptHash(body, model)).toBe(reference(body, model));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same hash for the same request whatever the key order, and a different one when a message changes", () => {
    const message = recordedRequest();
    const a = { model: "gpt-4.1-nano", messages: [{ role: "user", content: message.content }], temperature: 0.7, stream: true };
    const b = { temperature: 0.7, messages: [{ content: message.content, role: "user" }], model: "gpt-4.1-nano" };
    expect(promptHash(a, "gpt-4.1-nano")).toBe(promptHash(b, "gpt-4.1-nano"));
    expect(promptHash(a, "gpt-4.1-nano")).toBe(reference(a, "gpt-4.1-nano"));
    const changed = { ...b, messages: [{ content: message.content + ".", role: "user" }] };
    expect(promptHash(changed, "gpt-4.1-nano")).not.toBe(promptHash(b, "gpt-4.1-nano"));
  });

  it("stays exact past its cache of quoted keys (keys that need escaping, thousands of distinct keys)", () => {
    const body: Record<string, unknown> = { model: "m", 'quote"key': 1, "new\nline": [{ é: "x" }] };
    for (let i = 0; i < 3000; i++) body[`k${i}`] = { [`nested${i}`]: i };
    expect(promptHash(body, "m")).toBe(reference(body, "m"));
    expect(promptHash(body, "m")).toBe(reference(body, "m"));
  });
});
