// The end of a stream, kept as the chunks that carried it, for the accumulators that only need the
// stream's last events (usage, finish reasons, errors): the middle of the stream is never parsed.

/** How many of a stream's last events are kept (OpenAI: finish, usage, [DONE]; Anthropic: message_delta, message_stop). */
export const TAIL_EVENTS = 4;
/** Stream bytes held before any are let go. */
const TAIL_KEEP = 64 * 1024;
/** Events longer than this may be left out by the reader's choice, from a peek at their ends. */
const LARGE_EVENT_BYTES = 64 * 1024;
const PEEK_BYTES = 512;

/** [chunk index, offset]. */
type Position = [number, number];

const before = (a: Position, b: Position): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The first (or last) PEEK_BYTES of an event's pieces, decoded. */
function peek(pieces: Uint8Array[], first: boolean): string {
  const picked: Uint8Array[] = [];
  let size = 0;
  for (let i = first ? 0 : pieces.length - 1; i >= 0 && i < pieces.length && size < PEEK_BYTES; i += first ? 1 : -1) {
    const piece = pieces[i]!;
    const part = first ? piece.subarray(0, PEEK_BYTES - size) : piece.subarray(Math.max(0, piece.byteLength - (PEEK_BYTES - size)));
    if (first) picked.push(part);
    else picked.unshift(part);
    size += part.byteLength;
  }
  return tailDecoder.decode(Buffer.concat(picked));
}

/** The most held for the last events; one event longer than this is let go unparsed (and flagged). */
const MAX_TAIL_BYTES = 32 * 1024 * 1024;

/**
 * Chunks are only appended (no copies). Once more than TAIL_KEEP bytes are held, each new chunk is
 * searched for blank lines (event ends) from its end backwards, only as far as the last
 * TAIL_EVENTS + 1 of them, and the chunks wholly before the last TAIL_EVENTS events are let go:
 * linear in the stream's length whatever the size of its events, and a large chunk costs only its
 * last events. A stream that stays under TAIL_KEEP is searched once, at the end, the same way.
 */
export class TailWindow {
  /** Text not parsed yet when the window opened (it starts at an event). */
  #head = "";
  #items: Uint8Array[] = [];
  #size = 0;
  /** False once chunks were let go: the head no longer joins on to what is kept. */
  #whole = true;
  /** Items already searched for event ends. */
  #scanned = 0;
  /** The last two bytes let go, for a blank line split across the first kept chunk. */
  #dropped1 = 0;
  #dropped2 = 0;
  /** [item, offset] just after each blank line found (the last TAIL_EVENTS + 1 of them), in order. */
  #starts: Position[] = [];
  /** An event longer than MAX_TAIL_BYTES was let go. */
  skipped = false;

  start(head: string): void {
    this.#head = head;
  }

  push(chunk: Uint8Array): void {
    this.#items.push(chunk);
    this.#size += chunk.byteLength;
    if (this.#size <= TAIL_KEEP) return;
    this.#scan();
    if (this.#starts.length > TAIL_EVENTS) this.#dropBefore(this.#starts[this.#starts.length - TAIL_EVENTS - 1]![0]);
    if (this.#size > MAX_TAIL_BYTES) {
      // One event longer than the bound: let all of it go; the text resumes after its end.
      this.#dropBefore(this.#items.length);
      this.skipped = true;
    }
  }

  clear(): void {
    this.#items = [];
    this.#head = "";
    this.#starts = [];
    this.#scanned = 0;
  }

  /**
   * The kept text from the start of the TAIL_EVENTS-th last event (all of it when there are fewer).
   * An event longer than LARGE_EVENT_BYTES is left out, undecoded, when `wantsLarge` declines it
   * from its first and last bytes.
   */
  text(wantsLarge?: (head: string, tail: string) => boolean): string {
    this.#scan();
    const starts = this.#starts;
    let from: Position = [0, 0];
    let prefix = "";
    if (starts.length > TAIL_EVENTS) from = starts[starts.length - TAIL_EVENTS - 1]!;
    else if (this.#whole) prefix = this.#head;
    else if (starts.length > 0) from = starts[0]!;
    else return "";
    const bounds = [from, ...starts.filter((s) => before(from, s)), [this.#items.length, 0] as Position];
    const kept: Uint8Array[] = [];
    for (let b = 1; b < bounds.length; b++) {
      const event = this.#between(bounds[b - 1]!, bounds[b]!);
      const size = event.reduce((sum, piece) => sum + piece.byteLength, 0);
      if (wantsLarge !== undefined && size > LARGE_EVENT_BYTES && !wantsLarge(prefix + peek(event, true), peek(event, false))) {
        // The head text, if any, began this event.
        if (b === 1) prefix = "";
        continue;
      }
      kept.push(...event);
    }
    return prefix + tailDecoder.decode(kept.length === 1 ? kept[0] : Buffer.concat(kept));
  }

  /** The bytes from `a` to `b`, as subarrays of the kept chunks. */
  #between(a: Position, b: Position): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    for (let k = a[0]; k <= b[0] && k < this.#items.length; k++) {
      const item = this.#items[k]!;
      const piece = item.subarray(k === a[0] ? a[1] : 0, k === b[0] ? b[1] : item.byteLength);
      if (piece.byteLength > 0) pieces.push(piece);
    }
    return pieces;
  }

  /** The byte `back` places before offset `at` of item `k` (0 before the window's first byte). */
  #byteBefore(k: number, at: number, back: 1 | 2): number {
    let index = at - back;
    for (let item = k; item >= 0; item--) {
      if (index >= 0) return this.#items[item]![index]!;
      if (item > 0) index += this.#items[item - 1]!.byteLength;
    }
    return index === -1 ? this.#dropped1 : this.#dropped2;
  }

  /**
   * Searches the chunks not searched yet for blank lines ("\n\n", or "\n\r\n" in CRLF streams),
   * from the end backwards, until the last TAIL_EVENTS + 1 are found: what lies before them is
   * never looked at.
   */
  #scan(): void {
    const items = this.#items;
    const wanted = TAIL_EVENTS + 1;
    const found: Position[] = [];
    search: for (let k = items.length - 1; k >= this.#scanned; k--) {
      const chunk = items[k]!;
      for (let i = chunk.lastIndexOf(10); i !== -1; i = i === 0 ? -1 : chunk.lastIndexOf(10, i - 1)) {
        const b1 = i >= 1 ? chunk[i - 1]! : this.#byteBefore(k, i, 1);
        if (b1 !== 10 && !(b1 === 13 && (i >= 2 ? chunk[i - 2]! : this.#byteBefore(k, i, 2)) === 10)) continue;
        found.push(i + 1 < chunk.byteLength ? [k, i + 1] : [k + 1, 0]);
        if (found.length === wanted) break search;
      }
    }
    found.reverse();
    this.#starts = found.length === wanted ? found : [...this.#starts, ...found].slice(-wanted);
    this.#scanned = items.length;
  }

  /** Lets go of the items before `item`. */
  #dropBefore(item: number): void {
    if (item <= 0) return;
    const last = Math.min(item, this.#items.length);
    this.#dropped2 = this.#byteBefore(last - 1, this.#items[last - 1]!.byteLength, 2);
    this.#dropped1 = this.#byteBefore(last - 1, this.#items[last - 1]!.byteLength, 1);
    for (const dropped of this.#items.splice(0, item)) this.#size -= dropped.byteLength;
    this.#scanned -= item;
    const starts = this.#starts;
    let kept = 0;
    for (const start of starts) {
      if (start[0] < item) continue;
      start[0] -= item;
      starts[kept++] = start;
    }
    starts.length = kept;
    this.#whole = false;
    this.#head = "";
  }
}

const tailDecoder = new TextDecoder();
