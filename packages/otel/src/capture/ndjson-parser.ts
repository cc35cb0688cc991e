// Incremental newline-delimited JSON framing (Ollama's streams), fed the raw body chunks as they
// pass. Like the SSE parser it hands the sink a block of whole lines first, so a cheap test can
// skip the many content lines unparsed, and holds an unfinished line as pieces (linear, bounded).
import { PendingText } from "./pending-text.js";
import { MAX_EVENT_CHARS, type SseSink } from "./sse-parser.js";

const STREAM = { stream: true };

export class NdjsonParser {
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  readonly #sink: SseSink;
  readonly #pending = new PendingText(MAX_EVENT_CHARS);

  constructor(sink: SseSink) {
    this.#sink = sink;
  }

  /** A line longer than the bound was skipped. */
  get skipped(): boolean {
    return this.#pending.skipped;
  }

  feed(chunk: Uint8Array): void {
    this.#take((this.#decoder ??= new TextDecoder()).decode(chunk, STREAM), false);
  }

  text(text: string): void {
    this.#take(text, false);
  }

  end(): void {
    this.#take(this.#decoder?.decode() ?? "", true);
  }

  #take(decoded: string, last: boolean): void {
    let text = decoded;
    const pending = this.#pending;
    if (pending.dropping) {
      const end = text.indexOf("\n");
      if (end === -1) {
        if (last) pending.dropping = false;
        return;
      }
      pending.dropping = false;
      text = text.slice(end + 1);
    }
    const boundary = last ? text.length : text.lastIndexOf("\n");
    if (boundary === -1) {
      pending.hold(text);
      return;
    }
    const block = pending.empty ? text.slice(0, boundary) : pending.take() + text.slice(0, boundary);
    if (!last) pending.hold(text.slice(boundary + 1));
    if (block === "" || !this.#sink.wants(block)) return;
    for (const line of block.split("\n")) {
      const trimmed = line.trim();
      if (trimmed !== "") this.#sink.event("", trimmed);
    }
  }
}
