// Incremental newline-delimited JSON framing (Ollama's streams), fed the raw body chunks as they
// pass. Like the SSE parser it hands the sink a block of whole lines first, so a cheap test can
// skip the many content lines unparsed. A line longer than the bound is skipped, not buffered.
import type { SseSink } from "./sse-parser.js";

/** Text held while waiting for a line's end; a longer line is dropped. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;
const STREAM = { stream: true };

export class NdjsonParser {
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  readonly #sink: SseSink;
  /** Pieces of the unfinished line (joined only once its end arrives: linear in its length). */
  #pending: string[] = [];
  #pendingChars = 0;
  #skipping = false;
  /** A line was longer than the bound and skipped. */
  skipped = false;

  constructor(sink: SseSink) {
    this.#sink = sink;
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

  #take(text: string, last: boolean): void {
    const boundary = last ? text.length : text.lastIndexOf("\n");
    if (boundary === -1) {
      this.#hold(text);
      return;
    }
    const head = text.slice(0, boundary);
    const block = this.#skipping ? head.slice(head.indexOf("\n") + 1) : this.#pending.join("") + head;
    this.#skipping = false;
    this.#pending = [];
    this.#pendingChars = 0;
    if (!last) this.#hold(text.slice(boundary + 1));
    if (block === "" || !this.#sink.wants(block)) return;
    for (const line of block.split("\n")) {
      const trimmed = line.trim();
      if (trimmed !== "") this.#sink.event("", trimmed);
    }
  }

  #hold(text: string): void {
    if (this.#skipping || text === "") return;
    this.#pendingChars += text.length;
    if (this.#pendingChars > MAX_LINE_CHARS) {
      this.#pending = [];
      this.#pendingChars = 0;
      this.#skipping = true;
      this.skipped = true;
      return;
    }
    this.#pending.push(text);
  }
}
