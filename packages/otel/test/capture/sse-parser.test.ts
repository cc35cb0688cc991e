import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SseParser } from "../../src/capture/sse-parser.js";
import { fixtureEvents, sseFrames } from "./helpers/fixtures.js";

function parseInPieces(bytes: Uint8Array, cuts: number[]): Array<[string, string]> {
  const events: Array<[string, string]> = [];
  const parser = new SseParser({ wants: () => true, event: (event, data) => events.push([event, data]) });
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.feed(bytes.subarray(start, cut));
    start = cut;
  }
  parser.feed(bytes.subarray(start));
  parser.end();
  return events;
}

describe("SseParser", () => {
  it("gives the same events however the bytes are cut (also inside UTF-8 characters and CRLF)", () => {
    const bytes = Buffer.concat([
      ...sseFrames("anthropic/anthropic-text.chunks.txt", "anthropic"),
      ...sseFrames("google/google-text.chunks.txt", "gemini"),
      Buffer.from('data: {"t":"héllo 🙂"}\n\n'),
    ]);
    const whole = parseInPieces(bytes, []);
    expect(whole).toHaveLength(fixtureEvents("anthropic/anthropic-text.chunks.txt").length + fixtureEvents("google/google-text.chunks.txt").length + 1);
    expect(whole[0]![0]).toBe("message_start");
    expect(whole.at(-1)).toEqual(["", '{"t":"héllo 🙂"}']);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), (cuts) => {
        expect(parseInPieces(bytes, cuts)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it("skips blocks the sink declines without parsing them", () => {
    const seen: string[] = [];
    const parser = new SseParser({ wants: (block) => block.includes("keep"), event: (_e, data) => seen.push(data) });
    parser.feed(Buffer.from("data: skip 1\n\ndata: skip 2\n\n"));
    parser.feed(Buffer.from("data: keep\r\n\r\ndata: skip 3\n\n"));
    parser.end();
    expect(seen).toEqual(["keep", "skip 3"]);
  });

  it("joins multi-line data, skips comments, keeps the last event without its blank line", () => {
    const events = parseInPieces(Buffer.from(": keep-alive\n\ndata: a\ndata: b\n\nevent: x\ndata:c\n\ndata: tail"), []);
    expect(events).toEqual([
      ["", "a\nb"],
      ["x", "c"],
      ["", "tail"],
    ]);
  });
});
