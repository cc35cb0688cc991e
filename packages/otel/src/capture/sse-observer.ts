// Follows a server-sent-events body as the app reads it. The head of the stream is parsed until the
// accumulator has what it needs from it; after that the chunks are only kept (those of the last
// events, in a TailWindow) and parsed at the end, where usage, finish reasons and errors come.
import { SseParser } from "./sse-parser.js";
import { StreamObserver } from "./stream-observer.js";
import type { StreamSink } from "./stream-sink.js";
import { TailWindow } from "./tail-window.js";
import type { Accumulator } from "./wire/summary.js";

/** Small slices, so a big first chunk is not decoded past the events the head needs. */
const HEAD_SLICE = 4 * 1024;

export class SseBodyObserver extends StreamObserver {
  readonly #parser: SseParser;
  #tail: TailWindow | undefined;
  #tailSkipped = false;

  constructor(sink: StreamSink, accumulator: Accumulator) {
    super(sink, accumulator);
    this.#parser = new SseParser(accumulator);
  }

  protected take(bytes: Uint8Array): void {
    if (this.#tail !== undefined) {
      this.#tail.push(bytes);
      return;
    }
    for (let at = 0; at < bytes.byteLength; at += HEAD_SLICE) {
      this.#parser.feed(bytes.subarray(at, at + HEAD_SLICE));
      if (this.accumulator.onlyTailNeeded) {
        const tail = (this.#tail = new TailWindow());
        tail.start(this.#parser.takePending());
        if (at + HEAD_SLICE < bytes.byteLength) tail.push(bytes.subarray(at + HEAD_SLICE));
        return;
      }
    }
  }

  protected takeText(text: string): void {
    this.#parser.text(text);
  }

  protected get skipped(): boolean {
    return this.#parser.skipped || this.#tailSkipped || this.#tail?.skipped === true;
  }

  /** Parses what is left: the kept tail, or (a body read whole) the text after the head. */
  protected readRest(): void {
    const tail = this.#tail;
    this.#tail = undefined;
    if (tail?.skipped === true) this.#tailSkipped = true;
    const wantsLarge = this.accumulator.wantsLargeEvent?.bind(this.accumulator);
    const rest = tail !== undefined ? tail.text(wantsLarge) : this.accumulator.onlyTailNeeded ? this.#parser.takePending() : undefined;
    if (rest === undefined) {
      this.#parser.end();
      return;
    }
    const parser = new SseParser({ wants: () => true, event: (event, data) => this.accumulator.event(event, data), wantsLargeEvent: wantsLarge });
    parser.text(rest);
    parser.end();
  }
}
