// Incremental server-sent-events parser (WHATWG framing): fed raw body chunks as they pass,
// it reports each complete event's `event:` name and `data:` payload.

export type SseEventHandler = (event: string, data: string) => void;

/** An event larger than this is dropped rather than held in memory. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

export class SseParser {
  readonly #decoder = new TextDecoder();
  readonly #onEvent: SseEventHandler;
  #pending = "";
  #event = "";
  #data: string | undefined;
  #overflowed = false;

  constructor(onEvent: SseEventHandler) {
    this.#onEvent = onEvent;
  }

  get overflowed(): boolean {
    return this.#overflowed;
  }

  feed(chunk: Uint8Array): void {
    const text = this.#decoder.decode(chunk, { stream: true });
    this.#consume(this.#pending === "" ? text : this.#pending + text);
  }

  /** Ends the stream; an event left without its blank line is still delivered. */
  end(): void {
    const rest = this.#pending + this.#decoder.decode();
    this.#pending = "";
    if (rest !== "") this.#line(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
    this.#dispatch();
  }

  #consume(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      const end = newline > start && text.charCodeAt(newline - 1) === 13 /* \r */ ? newline - 1 : newline;
      this.#line(text.slice(start, end));
      start = newline + 1;
    }
    this.#pending = start === 0 ? text : text.slice(start);
    if (this.#pending.length > MAX_EVENT_CHARS) {
      this.#pending = "";
      this.#data = undefined;
      this.#overflowed = true;
    }
  }

  #line(line: string): void {
    if (line === "") {
      this.#dispatch();
      return;
    }
    const first = line.charCodeAt(0);
    if (first === 58 /* : comment */) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") {
      this.#data = this.#data === undefined ? value : this.#data + "\n" + value;
      if (this.#data.length > MAX_EVENT_CHARS) {
        this.#data = undefined;
        this.#overflowed = true;
      }
    } else if (field === "event") {
      this.#event = value;
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = undefined;
    this.#event = "";
    if (data !== undefined) this.#onEvent(event, data);
  }
}
