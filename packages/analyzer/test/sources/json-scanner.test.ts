// The streaming scanner hands a visitor exactly what a walk over JSON.parse's result would, for
// any document cut into any chunks, and refuses what is not JSON.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonScanner, JsonSyntaxError, type JsonVisitor, type PathKey } from "../../src/sources/json-scanner.js";

type Event = ["value", PathKey[], unknown] | ["end", PathKey[]];

// Wanted: any value under a key "w", and the items of a top-level array "items".
const wants = (path: readonly PathKey[]) => path[path.length - 1] === "kw" || (path.length === 2 && path[0] === "kitems");

// Wanted "small": any value under a key "ks" (assembled whole when small, else walked into).
const small = (path: readonly PathKey[]) => path[path.length - 1] === "ks";

function recorder(): { visitor: JsonVisitor; events: Event[] } {
  const events: Event[] = [];
  return {
    events,
    visitor: {
      want: (path) => (wants(path) ? true : small(path) ? "small" : false),
      // A "small" value assembled whole is recorded as the walk into it would have been.
      value: (path, value) => (small(path) && !wants(path) ? reference(value, [...path], events) : events.push(["value", [...path], value])),
      end: (path) => events.push(["end", [...path]]),
    },
  };
}

/** The events a walk over an already parsed value gives, in document order. */
function reference(value: unknown, path: PathKey[] = [], events: Event[] = []): Event[] {
  if (path.length > 0 && wants(path)) {
    events.push(["value", [...path], value]);
    return events;
  }
  if (value !== null && typeof value === "object") {
    const entries: [PathKey, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) reference(child, [...path, key], events);
    events.push(["end", [...path]]);
  } else if (path.length === 0 && wants(path)) events.push(["value", [], value]);
  return events;
}

function scan(chunks: string[], smallValueChars?: number): Event[] {
  const { visitor, events } = recorder();
  const scanner = new JsonScanner(visitor, smallValueChars);
  for (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  return events;
}

function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

// Keys start with a letter so that object key order survives JSON.parse (integer-like keys move).
const key = fc.oneof(
  fc.constantFrom("kw", "kitems", "ka", "ks"),
  fc.string({ maxLength: 6 }).map((s) => `k${s}`),
  fc.constant('k"\\\u00e9\u2028'),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constant('esc\\"aped\\\\'),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(key, tie("tree")), { maxLength: 4, selector: ([k]) => k }).map((pairs) => Object.fromEntries(pairs)),
  ),
}));
const document = fc.tuple(tree, fc.boolean()).map(([value, pretty]) => JSON.stringify(value, null, pretty ? 2 : undefined));

describe("JsonScanner", () => {
  it("gives the same values and ends as a walk over JSON.parse, whatever the chunks", () => {
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 8 }), (text, points) => {
        expect(scan(cut(text, points))).toEqual(reference(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('a value wanted "small" reads the same assembled whole or, past the size, walked into', () => {
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 8 }), fc.nat({ max: 64 }), (text, points, limit) => {
        expect(scan(cut(text, points), limit)).toEqual(reference(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it("cut one character at a time, a document still reads the same", () => {
    const text = JSON.stringify({ kitems: [{ a: 'x"\\y', kw: [1, { b: "}" }] }, 2], ka: { kw: "z\\" }, kz: [true, null, -1.5e3] });
    expect(scan([...text])).toEqual(reference(JSON.parse(text)));
  });

  it("reads several top-level values in a row (JSON lines too long to sniff)", () => {
    const { visitor, events } = recorder();
    const scanner = new JsonScanner(visitor);
    scanner.push('{"kw": 1}\n{"kw": [2]}\n');
    scanner.end();
    expect(events).toEqual([
      ["value", ["kw"], 1],
      ["end", []],
      ["value", ["kw"], [2]],
      ["end", []],
    ]);
  });

  it("every non-empty strict prefix of an object document fails at the end, with JsonSyntaxError", () => {
    fc.assert(
      fc.property(document, fc.nat(), (text, at) => {
        const whole = `{"ka": ${text}}`;
        const prefix = whole.slice(0, 1 + (at % (whole.length - 1))); // the empty document is valid: no values
        expect(() => scan([prefix])).toThrow(JsonSyntaxError);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["a missing colon", '{"a" 1}'],
    ["a trailing comma", '{"a": 1,}'],
    ["a bare word", '{"a": nope}'],
    ["a broken wanted value", '{"kw": {"a": 1,}}'],
    ["a closing bracket that does not match", '{"a": [1}'],
    ["garbage after a value", '{"a": 1} }'],
    ["a key that is not a string", "{a: 1}"],
  ])("refuses %s", (_, text) => {
    expect(() => scan([text])).toThrow(JsonSyntaxError);
  });

  it("skips a long unwanted string without keeping it (the rest of the document is read)", () => {
    const { visitor, events } = recorder();
    const scanner = new JsonScanner(visitor);
    scanner.push('{"ka": "');
    for (let i = 0; i < 200; i++) scanner.push("\\\\".repeat(1 << 12) + "x".repeat(1 << 14));
    scanner.push('", "kw": 7}');
    scanner.end();
    expect(events).toEqual([
      ["value", ["kw"], 7],
      ["end", []],
    ]);
  });
});
