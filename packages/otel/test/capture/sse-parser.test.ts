import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LLM_APIS } from "../../src/capture/apis/registry.js";
import { SseParser } from "../../src/capture/sse-parser.js";
import { fixtureEvents, sseFrames } from "@jotty/test-kit/fixtures";

function parseInPieces(bytes: Uint8Array, cuts: number[], maxEventChars?: number): Array<[string, string]> {
  const events: Array<[string, string]> = [];
  feedInPieces(new SseParser({ wants: () => true, event: (event, data) => events.push([event, data]) }, maxEventChars), bytes, cuts);
  return events;
}

function feedInPieces(parser: SseParser, bytes: Uint8Array, cuts: number[]): void {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.feed(bytes.subarray(start, cut));
    start = cut;
  }
  parser.feed(bytes.subarray(start));
  parser.end();
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

  it("an event longer than the bound is skipped and flagged, not buffered; the events around it are intact", () => {
    const bytes = Buffer.from(`data: before\n\ndata: ${"x".repeat(500)}\n\ndata: after\n\n`);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 20 }), (cuts) => {
        expect(parseInPieces(bytes, cuts, 100)).toEqual([
          ["", "before"],
          ["", "after"],
        ]);
      }),
      { numRuns: 200 },
    );
    const parser = new SseParser({ wants: () => true, event: () => {} }, 100);
    parser.feed(bytes);
    expect(parser.skipped).toBe(true);
  });

  it("one 20 MB event fed in 64 KB chunks arrives whole (held as pieces, joined once)", () => {
    const size = 20 * 1024 * 1024;
    const bytes = Buffer.alloc(size + 8, 0x61);
    bytes.write("data: ", 0);
    bytes.write("\n\n", size + 6);
    const lengths: number[] = [];
    const parser = new SseParser({ wants: () => true, event: (_e, data) => lengths.push(data.length) });
    for (let at = 0; at < bytes.length; at += 64 * 1024) parser.feed(bytes.subarray(at, at + 64 * 1024));
    parser.end();
    expect(lengths).toEqual([size]);
    expect(parser.skipped).toBe(false);
  });

  it.each(["\n", "\r\n"])("a huge event the accumulator does not need is dropped unparsed, however cut (line end %j)", (eol) => {
    const frame = (type: string, body: object) => `event: ${type}${eol}data: ${JSON.stringify({ type, ...body })}${eol}${eol}`;
    const response = { id: "resp_1", model: "gpt-5-mini", status: "completed", usage: { input_tokens: 10, output_tokens: 20 } };
    const bytes = Buffer.from(
      frame("response.created", { response: { ...response, status: "in_progress", usage: null } }) +
        frame("response.output_text.delta", { delta: "x".repeat(200_000) }) +
        frame("response.completed", { response }),
    );
    const responses = LLM_APIS.find((a) => a.api === "openai.responses")!;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const accumulator = responses.streamAccumulator(false);
        const parser = new SseParser(accumulator);
        feedInPieces(parser, bytes, cuts);
        expect(accumulator.finish()).toMatchObject({ id: "resp_1", rawUsage: response.usage, finishReasons: ["completed"] });
        expect(parser.skipped).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
