// Text held while waiting for the end of an event (SSE) or a line (NDJSON), kept as the pieces it
// arrived in and joined once, when the end arrives: the cost is linear in the event's length
// however many chunks carry it (joining and re-scanning on every chunk was quadratic). Past
// `maxChars` the event is dropped, not buffered, until its end; `skipped` then says so.

export class PendingText {
  readonly #maxChars: number;
  #pieces: string[] = [];
  #chars = 0;
  /** Dropping an event longer than the bound, until its end. */
  dropping = false;
  skipped = false;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  get empty(): boolean {
    return this.#chars === 0;
  }

  get length(): number {
    return this.#chars;
  }

  /** The first `n` characters held, without joining the rest. */
  head(n: number): string {
    let head = "";
    for (const piece of this.#pieces) {
      head += piece.slice(0, n - head.length);
      if (head.length >= n) break;
    }
    return head;
  }

  /** The last `n` characters held, without joining the rest. */
  tail(n: number): string {
    let tail = "";
    for (let i = this.#pieces.length - 1; i >= 0 && tail.length < n; i--) tail = this.#pieces[i]!.slice(-(n - tail.length)) + tail;
    return tail;
  }

  hold(text: string): void {
    if (this.dropping || text === "") return;
    this.#chars += text.length;
    if (this.#chars > this.#maxChars) {
      this.clear();
      this.dropping = true;
      this.skipped = true;
      return;
    }
    this.#pieces.push(text);
  }

  /** Puts text back in front (events the sink did not want yet). */
  unshift(text: string): void {
    this.#pieces.unshift(text);
    this.#chars += text.length;
  }

  /** Everything held, joined, and forgotten. */
  take(): string {
    const text = this.#pieces.length === 1 ? this.#pieces[0]! : this.#pieces.join("");
    this.clear();
    return text;
  }

  clear(): void {
    this.#pieces = [];
    this.#chars = 0;
  }
}
