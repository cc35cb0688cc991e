// Follows a whole-JSON body (and error bodies): the chunks, or the text a body method gave.
import type { BodyObserver } from "./body-observer.js";

/** JSON bodies larger than this are passed on but not parsed. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

export interface JsonSink {
  /** The body, whole (undefined when too large or unread); `parsed` when it came from json(). */
  onJson(text: string | undefined, parsed?: unknown): void;
  onInterrupted(reason: unknown): void;
  onAbandoned(): void;
}

/** One object per response, no closures (this runs for every request). */
export class JsonBodyObserver implements BodyObserver {
  readonly #sink: JsonSink;
  #chunks: Uint8Array[] | undefined;
  #size = 0;

  constructor(sink: JsonSink) {
    this.#sink = sink;
  }

  chunk(bytes: Uint8Array): void {
    this.#size += bytes.byteLength;
    if (this.#size <= MAX_JSON_BYTES) (this.#chunks ??= []).push(bytes);
  }

  end(): void {
    if (this.#size > MAX_JSON_BYTES) this.#sink.onJson(undefined);
    else this.#sink.onJson(this.#chunks === undefined ? "" : Buffer.concat(this.#chunks).toString("utf8"));
  }

  whole(text: string | undefined, parsed?: unknown): void {
    this.#sink.onJson(text, parsed);
  }

  interrupted(reason: unknown): void {
    this.#sink.onInterrupted(reason);
  }

  abandoned(): void {
    this.#sink.onAbandoned();
  }
}
