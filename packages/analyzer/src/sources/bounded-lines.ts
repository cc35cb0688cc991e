// Splits a byte stream into lines of at most `maxBytes`: a longer line is skipped without being
// kept (only its length is), so one 600 MB line neither exhausts memory nor overflows V8's
// string limit. Hand-written because readline and split2 hold the whole line as a string (split2
// re-splits it on every chunk) and neither says that a line was skipped.

/** V8's longest string (2^29 - 24 UTF-16 units): any line of at most this many bytes decodes. */
export const MAX_LINE_BYTES = 0x1fff_ffe8;

export type SplitLine = { number: number; text: string } | { number: number; skippedBytes: number };

export class BoundedLineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skippedBytes = -1; // ≥ 0 while skipping a line that grew past the bound
  private number = 0;

  /** `fileStart`: the first line is the file's, where a byte-order mark may stand. */
  constructor(
    private readonly maxBytes = MAX_LINE_BYTES,
    private readonly fileStart = true,
  ) {}

  /** Lines handed out so far. */
  get lines(): number {
    return this.number;
  }

  push(chunk: Buffer, onLine: (line: SplitLine) => void): void {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      this.take(chunk.subarray(from, newline < 0 ? chunk.length : newline));
      if (newline < 0) return;
      onLine(this.finishLine());
      from = newline + 1;
    }
  }

  /** The last line, when the stream does not end with a newline. */
  end(onLine: (line: SplitLine) => void): void {
    if (this.size > 0 || this.skippedBytes >= 0) onLine(this.finishLine());
  }

  private take(piece: Buffer): void {
    if (this.skippedBytes >= 0) this.skippedBytes += piece.length;
    else if (this.size + piece.length > this.maxBytes) {
      this.skippedBytes = this.size + piece.length;
      this.parts = [];
      this.size = 0;
    } else if (piece.length > 0) {
      this.parts.push(piece);
      this.size += piece.length;
    }
  }

  private finishLine(): SplitLine {
    this.number++;
    let line: SplitLine;
    if (this.skippedBytes >= 0) line = { number: this.number, skippedBytes: this.skippedBytes };
    else {
      const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
      let text = bytes.toString("utf8");
      if (this.number === 1 && this.fileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      line = { number: this.number, text: text.endsWith("\r") ? text.slice(0, -1) : text };
    }
    this.parts = [];
    this.size = 0;
    this.skippedBytes = -1;
    return line;
  }
}
