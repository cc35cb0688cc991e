// Incremental server-sent-events parser (WHATWG framing), fed the raw body chunks as they pass.
// It works a block of complete events at a time: the sink first sees the block's text and may
// decline it with a cheap test, so the many content chunks of a stream are never split into lines.
// Only each new chunk is searched for event ends, and an unfinished event is held as pieces
// (PendingText): linear in the stream's length, with memory bounded by the longest event allowed.
import { BlankLineFinder } from "./blank-line-finder.js";
import { PendingText } from "./pending-text.js";

export interface SseSink {
  /** A cheap pre-check on a block of whole events; false skips them unparsed. */
  wants(block: string): boolean;
  event(event: string, data: string): void;
  /** True when the sink needs no more events for now: the rest of the block is left unparsed, in takePending(). */
  readonly onlyTailNeeded?: boolean;
  /**
   * For an event longer than LARGE_EVENT_CHARS: from its first and last PEEK_CHARS, could it hold
   * anything the sink needs? False drops it unjoined and unparsed (a huge content delta).
   */
  wantsLargeEvent?(head: string, tail: string | undefined): boolean;
}

export const LARGE_EVENT_CHARS = 64 * 1024;
export const PEEK_CHARS = 512;

/** The longest event held while waiting for its end; a longer one is skipped (and flagged), not buffered. */
export const MAX_EVENT_CHARS = 32 * 1024 * 1024;
const CR = /\r\n?/g;
const STREAM = { stream: true };

export class SseParser {
  /** Made on the first fed bytes: a parser given only text (a stream's kept tail) needs none. */
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  readonly #sink: SseSink;
  readonly #pending: PendingText;
  readonly #maxEventChars: number;
  #skipped = false;
  #carryCr = false;
  /** Set while a long event the sink declined from its head is dropped byte by byte. */
  #undecoded: BlankLineFinder | undefined;
  /** The last text held (or dropped) ended with "\n": a blank line may straddle the next chunk. */
  #newline = false;

  constructor(sink: SseSink, maxEventChars = MAX_EVENT_CHARS) {
    this.#sink = sink;
    this.#pending = new PendingText(maxEventChars);
    this.#maxEventChars = maxEventChars;
  }

  /** An event longer than the bound was skipped. */
  get skipped(): boolean {
    return this.#skipped || this.#pending.skipped;
  }

  feed(chunk: Uint8Array): void {
    if (this.#undecoded !== undefined) {
      // Dropping a declined event: find its end in the bytes, without decoding them.
      const end = this.#undecoded.end(chunk);
      if (end === -1) return;
      this.#undecoded = undefined;
      chunk = chunk.subarray(end);
    }
    this.#take((this.#decoder ??= new TextDecoder()).decode(chunk, STREAM), false);
  }

  /** Already-decoded text (a kept tail of the stream). */
  text(text: string): void {
    this.#take(text, false);
  }

  /** Hands back the text held for an unfinished event, and forgets it. */
  takePending(): string {
    const rest = this.#pending.take() + (this.#decoder?.decode() ?? "") + (this.#carryCr ? "\r" : "");
    this.#carryCr = false;
    this.#newline = false;
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
    const pending = this.#pending;
    if (pending.dropping) {
      // The rest of an over-long event: drop it up to its end (a blank line, maybe split across chunks).
      const end = this.#newline && text.charCodeAt(0) === 10 ? -1 : text.indexOf("\n\n");
      if (end === -1 && !(this.#newline && text.charCodeAt(0) === 10)) {
        if (text !== "") this.#newline = text.charCodeAt(text.length - 1) === 10;
        if (last) pending.dropping = false;
        return;
      }
      pending.dropping = false;
      this.#newline = false;
      text = text.slice(end + 2);
    }
    if (pending.length > LARGE_EVENT_CHARS && this.#sink.wantsLargeEvent !== undefined) {
      text = this.#largeEvent(text, last);
      if (this.#undecoded !== undefined) return;
    }
    const boundary = last ? text.length : text.lastIndexOf("\n\n");
    let block: string;
    if (boundary !== -1) {
      block = pending.empty ? text.slice(0, boundary) : pending.take() + text.slice(0, boundary);
    } else if (this.#newline && text.charCodeAt(0) === 10) {
      // A blank line split across chunks: the held text ends with "\n" and this one starts with it.
      block = pending.take().slice(0, -1);
    } else {
      pending.hold(text);
      if (text !== "") this.#newline = text.charCodeAt(text.length - 1) === 10;
      return;
    }
    if (!last) {
      const rest = text.slice(boundary + 2);
      pending.hold(rest);
      this.#newline = rest !== "" && rest.charCodeAt(rest.length - 1) === 10;
    }
    if (block === "" || !this.#sink.wants(block)) return;
    const unparsed = this.#events(block);
    if (unparsed !== "") pending.unshift(unparsed + "\n\n");
  }

  /**
   * A long event is held: once its end is in `text`, lets the sink decide from its head and tail
   * whether to join and parse it. Returns the text left to take.
   */
  #largeEvent(text: string, last: boolean): string {
    const split = this.#newline && text.charCodeAt(0) === 10;
    const end = split ? 0 : text.indexOf("\n\n");
    if (end === -1 && !last) {
      // Still open: some sinks can decline it from its head alone, then the rest is never decoded.
      if (this.#sink.wantsLargeEvent!(this.#pending.head(PEEK_CHARS), undefined)) return text;
      this.#pending.clear();
      this.#undecoded = new BlankLineFinder(text);
      this.#decoder = undefined;
      this.#carryCr = false;
      this.#newline = false;
      return "";
    }
    const close = end === -1 ? text.length : end;
    const pending = this.#pending;
    const tail = (pending.tail(PEEK_CHARS) + text.slice(Math.max(0, close - PEEK_CHARS), close)).slice(-PEEK_CHARS);
    if (this.#sink.wantsLargeEvent!(pending.head(PEEK_CHARS), tail)) return text;
    pending.clear();
    this.#newline = false;
    return end === -1 ? "" : text.slice(end + (split ? 1 : 2));
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
      // The same bound whether the event came in one chunk or was held across many.
      if (event.length > this.#maxEventChars) {
        this.#skipped = true;
        continue;
      }
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
