// The end of a stream, kept as the chunks that carried it, for the accumulators that only need the
// stream's last events (usage, finish reasons, errors): the middle of the stream is never parsed.

/** How many of a stream's last events are kept (OpenAI: finish, usage, [DONE]; Anthropic: message_delta, message_stop). */
export const TAIL_EVENTS = 4;
/** Stream bytes held before any are let go. */
const TAIL_KEEP = 64 * 1024;

/**
 * The end of a stream, kept as the chunks that carried it (no copies). Chunks are only appended;
 * once more than TAIL_KEEP bytes are held, those before the last TAIL_EVENTS events (found by
 * looking back for blank lines) are let go.
 */
export class TailWindow {
  /** Text not parsed yet when the window opened (it starts at an event). */
  #head = "";
  #items: Uint8Array[] = [];
  #size = 0;
  /** False once chunks were let go: the head no longer joins on to what is kept. */
  #whole = true;

  start(head: string): void {
    this.#head = head;
  }

  push(chunk: Uint8Array): void {
    this.#items.push(chunk);
    this.#size += chunk.byteLength;
    if (this.#size <= TAIL_KEEP) return;
    const start = this.#lastEventsStart();
    if (start === undefined) return;
    // Let go of the chunks wholly before the last events.
    const [item] = start;
    if (item > 0) {
      for (const dropped of this.#items.splice(0, item)) this.#size -= dropped.byteLength;
      this.#whole = false;
      this.#head = "";
    }
  }

  clear(): void {
    this.#items = [];
    this.#head = "";
  }

  /** The kept text from the start of the TAIL_EVENTS-th last event (all of it when there are fewer). */
  text(): string {
    const start = this.#lastEventsStart();
    if (start === undefined) {
      const all = tailDecoder.decode(this.#items.length === 1 ? this.#items[0]! : Buffer.concat(this.#items));
      return this.#whole ? this.#head + all : all.slice(Math.max(0, all.indexOf("\n\n") + 2));
    }
    const [item, offset] = start;
    const rest = this.#items.slice(item);
    rest[0] = rest[0]!.subarray(offset);
    return tailDecoder.decode(rest.length === 1 ? rest[0] : Buffer.concat(rest));
  }

  /** [chunk index, offset] where the TAIL_EVENTS-th last event starts, or undefined when fewer are kept. */
  #lastEventsStart(): [number, number] | undefined {
    const items = this.#items;
    const byteBefore = (item: number, index: number, back: number): number => {
      let i = index - back;
      let k = item;
      while (i < 0) {
        k--;
        if (k < 0) return -1;
        i += items[k]!.byteLength;
      }
      return items[k]![i]!;
    };
    let found = 0;
    for (let k = items.length - 1; k >= 0; k--) {
      const chunk = items[k]!;
      for (let i = chunk.byteLength - 1; i >= 0; i--) {
        i = chunk.lastIndexOf(10, i);
        if (i === -1) break;
        const before = byteBefore(k, i, 1);
        // A blank line: "\n\n", or "\n\r\n" in CRLF streams. The final one ends the stream, not an event before ours.
        if (before === 10 || (before === 13 && byteBefore(k, i, 2) === 10)) {
          if (++found > TAIL_EVENTS) return i + 1 < chunk.byteLength ? [k, i + 1] : [k + 1, 0];
        }
      }
    }
    return undefined;
  }
}

const tailDecoder = new TextDecoder();
