// Finds the end of an SSE event (a blank line: two line ends in a row, each CRLF, CR or LF) in raw
// bytes across chunks, without decoding them: used to drop a long event nobody needs.

const LF = 10;
const CR = 13;

export class BlankLineFinder {
  /** The bytes just seen ended a line. */
  #lineEnd = false;
  /** ...with a CR, so an LF right after belongs to it. */
  #cr = false;

  /** `seen`: the text of the event already dropped (its last characters matter). */
  constructor(seen: string) {
    const last = seen.charCodeAt(seen.length - 1);
    this.#lineEnd = last === LF || last === CR;
    this.#cr = last === CR;
  }

  /** The index just after the blank line in `bytes`, or -1 when it is not there yet. */
  end(bytes: Uint8Array): number {
    let at = 0;
    let lf = bytes.indexOf(LF);
    let cr = bytes.indexOf(CR);
    while (lf !== -1 || cr !== -1) {
      const i = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      if (i > at) {
        // Other bytes came between: the next line end is not a blank line.
        this.#lineEnd = false;
        this.#cr = false;
      }
      const byte = bytes[i]!;
      if (byte === LF && this.#cr) {
        this.#cr = false; // the LF of a CRLF, counted at its CR
      } else if (this.#lineEnd) {
        return byte === CR && bytes[i + 1] === LF ? i + 2 : i + 1;
      } else {
        this.#lineEnd = true;
        this.#cr = byte === CR;
      }
      at = i + 1;
      if (i === lf) lf = bytes.indexOf(LF, at);
      else cr = bytes.indexOf(CR, at);
    }
    if (at < bytes.byteLength) {
      this.#lineEnd = false;
      this.#cr = false;
    }
    return -1;
  }
}
