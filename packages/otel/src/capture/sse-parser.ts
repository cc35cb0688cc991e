// Incremental server-sent-events parser (WHATWG framing), fed the raw body chunks as they pass.
// It works a block of complete events at a time: the sink first sees the block's text and may
// decline it with a cheap test, so the many content chunks of a stream are never split into lines.

export interface SseSink {
  /** A cheap pre-check on a block of whole events; false skips them unparsed. */
  wants(block: string): boolean;
  event(event: string, data: string): void;
  /** True when the sink needs no more events for now: the rest of the block is left unparsed, in takePending(). */
  readonly onlyTailNeeded?: boolean;
}

/** Text held while waiting for an event's end; beyond this an event is dropped, not buffered. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;
const CR = /\r\n?/g;
const STREAM = { stream: true };

export class SseParser {
  /** Made on the first fed bytes: a parser given only text (a stream's kept tail) needs none. */
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  readonly #sink: SseSink;
  #pending = "";
  #carryCr = false;

  constructor(sink: SseSink) {
    this.#sink = sink;
  }

  feed(chunk: Uint8Array): void {
    this.#take((this.#decoder ??= new TextDecoder()).decode(chunk, STREAM), false);
  }

  /** Already-decoded text (a kept tail of the stream). */
  text(text: string): void {
    this.#take(text, false);
  }

  /** Hands back the text held for an unfinished event, and forgets it. */
  takePending(): string {
    const rest = this.#pending + (this.#decoder?.decode() ?? "") + (this.#carryCr ? "\r" : "");
    this.#pending = "";
    this.#carryCr = false;
    return rest;
  }

  /** Ends the stream; an event left without its blank line is still delivered. */
  end(): void {
    this.#take(this.#decoder?.decode() ?? "", true);
  }

  #take(decoded: string, last: boolean): void {
    let text = decoded;
    if (this.#carryCr) {
      text = "\r" + text;
      this.#carryCr = false;
    }
    if (text.includes("\r")) {
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (!last && text.endsWith("\r")) {
        text = text.slice(0, -1);
        this.#carryCr = true;
      }
      text = text.replace(CR, "\n");
    }
    const all = this.#pending + text;
    const boundary = last ? all.length : all.lastIndexOf("\n\n");
    if (boundary === -1) {
      this.#pending = all;
      if (all.length > MAX_PENDING_CHARS) this.#pending = "";
      return;
    }
    const block = all.slice(0, boundary);
    this.#pending = last ? "" : all.slice(boundary + 2);
    if (block === "" || !this.#sink.wants(block)) return;
    const unparsed = this.#events(block);
    if (unparsed !== "") this.#pending = unparsed + "\n\n" + this.#pending;
  }

  /** Dispatches the block's events; returns those left when the sink stopped wanting them. */
  #events(block: string): string {
    let start = 0;
    while (start < block.length) {
      if (this.#sink.onlyTailNeeded === true) return block.slice(start);
      let end = block.indexOf("\n\n", start);
      if (end === -1) end = block.length;
      const event = block.slice(start, end);
      start = end + 2;
      if (event === "" || event === "\n") continue;
      // The common frame, `data: {...}` on one line, without the line machinery.
      if (event.startsWith("data: ") && !event.includes("\n", 6)) this.#sink.event("", event.slice(6));
      else this.#fields(event);
    }
    return "";
  }

  #fields(event: string): void {
    let name = "";
    let data: string | undefined;
    for (const line of event.split("\n")) {
      if (line === "" || line.charCodeAt(0) === 58 /* : comment */) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === "data") data = data === undefined ? value : data + "\n" + value;
      else if (field === "event") name = value;
    }
    if (data !== undefined) this.#sink.event(name, data);
  }
}
