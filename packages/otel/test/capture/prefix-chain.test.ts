// The prefix fingerprints are a hash chain: a request that extends another (the next turn of the
// same conversation) repeats all its fingerprints, and a change anywhere changes every later one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requestShape } from "../../src/capture/request-shape.js";

const shape = (body: object) => {
  const text = JSON.stringify(body);
  return requestShape(text, JSON.parse(text) as Record<string, unknown>);
};
const hashes = (body: object) => (shape(body)["jotty.llm.prompt.prefix_hashes"] ?? []) as string[];
const message = fc.record({ role: fc.constantFrom("user", "assistant", "tool"), content: fc.string({ unit: "binary", maxLength: 40 }) });

describe("prefix fingerprints", () => {
  it("repeat for a shared prefix and differ after a changed message", () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 10 }), fc.array(message, { minLength: 1, maxLength: 5 }), fc.nat(), (head, more, at) => {
        const system = "be brief";
        const short = hashes({ model: "m", system, messages: head });
        const long = hashes({ model: "m", system, messages: [...head, ...more] });
        expect(long.slice(0, short.length)).toEqual(short);
        expect(new Set(long).size).toBe(long.length);
        const i = at % head.length;
        const changed = head.map((m, j) => (j === i ? { ...m, content: `${m.content}!` } : m));
        const other = hashes({ model: "m", system, messages: changed });
        expect(other.slice(0, i + 1)).toEqual(short.slice(0, i + 1));
        for (let j = i + 1; j < other.length; j++) expect(other[j]).not.toBe(short[j]);
      }),
      { numRuns: 200 },
    );
  });
});
