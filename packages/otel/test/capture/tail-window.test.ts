// The tail window keeps a stream's last events, however the stream is cut into chunks: its text
// is what a plain search of the whole stream for blank lines gives.
import fc from "fast-check";
import { expect, it } from "vitest";
import { TAIL_EVENTS, TailWindow } from "../../src/capture/tail-window.js";

/** The stream's text from the start of its TAIL_EVENTS-th last event, by a regex over the whole. */
function expectedTail(head: string, stream: Buffer): string {
  const text = stream.toString("latin1");
  // Every line feed that ends a blank line (after "\n" or "\n\r") ends an event.
  const starts = [...text.matchAll(/(?<=\n\r?)\n/g)].map((m) => m.index + 1);
  if (starts.length <= TAIL_EVENTS) return head + stream.toString("utf8");
  return stream.subarray(starts[starts.length - TAIL_EVENTS - 1]).toString("utf8");
}

function windowText(head: string, stream: Buffer, cuts: number[]): string {
  const window = new TailWindow();
  window.start(head);
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    window.push(stream.subarray(from, cut));
    from = cut;
  }
  window.push(stream.subarray(from));
  return window.text();
}

const event = fc
  .tuple(fc.string({ unit: fc.constantFrom("a", "é", "{", "\r", "\n", '"', "🙂", "x"), maxLength: 400 }), fc.constantFrom("\n\n", "\r\n\r\n", "\n\r\n", "\n"))
  .map(([data, end]) => `data: ${data}${end}`);

it("gives the last events of any stream, however it is cut (CRLF, blank lines across chunks, chunks past the kept size)", () => {
  fc.assert(
    fc.property(
      fc.array(event, { minLength: 0, maxLength: 600 }),
      fc.array(fc.nat(), { maxLength: 60 }),
      fc.string({ maxLength: 20 }),
      (events, cutSeeds, head) => {
        const stream = Buffer.from(events.join(""));
        const cuts = cutSeeds.map((seed) => seed % (stream.length + 1));
        expect(windowText(head, stream, cuts)).toBe(expectedTail(head, stream));
      },
    ),
    { numRuns: 300, seed: 16 },
  );
});

it("a 200-event stream in one chunk and in one chunk per event: the same last four events", () => {
  const events = Array.from({ length: 200 }, (_, i) => `data: {"i":${i},"pad":"${"x".repeat(400)}"}\n\n`);
  const stream = Buffer.from(events.join(""));
  const perEvent: number[] = [];
  for (let i = 0, at = 0; i < events.length; i++) perEvent.push((at += Buffer.byteLength(events[i]!)));
  const last = events.slice(-TAIL_EVENTS).join("");
  expect(windowText("", stream, [])).toBe(last);
  expect(windowText("", stream, perEvent)).toBe(last);
});
