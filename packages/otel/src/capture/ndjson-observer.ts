// Follows a newline-delimited JSON body (Ollama's native streams) as the app reads it.
import { NdjsonParser } from "./ndjson-parser.js";
import { StreamObserver } from "./stream-observer.js";
import type { StreamSink } from "./stream-sink.js";
import type { Accumulator } from "./wire/summary.js";

export class NdjsonBodyObserver extends StreamObserver {
  readonly #parser: NdjsonParser;

  constructor(sink: StreamSink, accumulator: Accumulator) {
    super(sink, accumulator);
    this.#parser = new NdjsonParser(accumulator);
  }

  protected take(bytes: Uint8Array): void {
    this.#parser.feed(bytes);
    // The final object ("done": true) ends the call: clients (ollama's) stop reading there,
    // without cancelling, so the body's end may never be seen.
    if (this.accumulator.complete) this.sink.finish(this.summary());
  }

  protected takeText(text: string): void {
    this.#parser.text(text);
  }

  protected readRest(): void {
    this.#parser.end();
  }

  protected get skipped(): boolean {
    return this.#parser.skipped;
  }
}
