// A JSON document read chunk by chunk at JSON.parse speed: a scanner walks the structure the
// visitor does not want (keeping the path to the current value, checking the syntax) and cuts
// out each value it wants (one span, one resource) as text for JSON.parse. A wanted value is
// scanned only for its end (strings skipped with indexOf), so most bytes are looked at by the
// engine's JSON.parse, not by JavaScript. Memory stays bounded by the largest wanted value.
//
// Hand-written instead of a token stream (stream-json, the previous reader): a token per value,
// assembled back into objects in JavaScript, ran at a fifth of JSON.parse's speed and was the
// limit of reading Jaeger (docs/scale.md).

export type PathKey = string | number;

export interface JsonVisitor {
  /**
   * Whether the value starting at `path` should be assembled and handed to `value`. "small": only
   * if it ends within SMALL_VALUE_CHARS; a larger one is walked into (`want` is asked for its parts).
   */
  want(path: readonly PathKey[]): boolean | "small";
  value(path: readonly PathKey[], value: unknown): void;
  /** A container that was not assembled ended. */
  end(path: readonly PathKey[]): void;
}

/** The input is not valid JSON; the caller says where (file line, bytes of an answer). */
export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
}

// What the structure allows next.
// biome-ignore lint/suspicious/noConstEnum: numbers inlined into the scanner's per-byte loop
const enum Expect {
  Value, // after ':' or ',' in an array
  ValueOrEnd, // after '['
  Key, // after ',' in an object
  KeyOrEnd, // after '{'
  Colon,
  CommaOrEnd,
  Top, // between top-level values (several are allowed, as in JSON lines)
}

// Where the scanner is inside a token that may continue in the next chunk.
// biome-ignore lint/suspicious/noConstEnum: numbers inlined into the scanner's per-byte loop
const enum Mode {
  Structure,
  Capture, // inside a wanted container
  String, // a key or a string value outside a wanted container
  Literal, // a number, true, false or null outside a wanted container
}

interface Frame {
  isArray: boolean;
  index: number;
  key: string;
}

const QUOTE = 34;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;
const COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isLiteralChar(c: number): boolean {
  // digits, sign, exponent, decimal point, and the letters of true/false/null
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Longest key or unwanted literal kept while it is read; longer ones are not JSON a trace has. */
const MAX_TOKEN = 1 << 20;

/** A value wanted "small" is assembled whole up to this size (a trace of 1,000 spans is about 400 KB). */
export const SMALL_VALUE_CHARS = 4 << 20;

export class JsonScanner {
  private readonly frames: Frame[] = [];
  private readonly path: PathKey[] = [];
  private expect = Expect.Top;
  private mode = Mode.Structure;
  // The token or wanted value being read: its text from earlier chunks, and whether it is wanted.
  private pieces: string[] = [];
  private piecesLength = 0;
  private wanted = false;
  private isKey = false;
  private small = false; // the container being captured was wanted "small"
  // Inside a wanted container: nesting depth, inside a string, after a backslash.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private offset = 0; // characters consumed before the current chunk, for error messages

  constructor(
    private readonly visitor: JsonVisitor,
    private readonly smallValueChars = SMALL_VALUE_CHARS,
  ) {}

  push(chunk: string): void {
    this.run(chunk, 0);
    this.offset += chunk.length;
  }

  private run(chunk: string, i: number): void {
    const n = chunk.length;
    while (i < n) {
      switch (this.mode) {
        case Mode.Structure:
          i = this.structure(chunk, i);
          break;
        case Mode.Capture:
          i = this.capture(chunk, i, i);
          break;
        case Mode.String:
          i = this.string(chunk, i, i);
          break;
        case Mode.Literal:
          i = this.literal(chunk, i, i);
          break;
      }
    }
  }

  end(): void {
    if (this.mode === Mode.Literal) {
      const text = this.take("");
      this.mode = Mode.Structure;
      this.finishLiteral(text);
    }
    if (this.mode !== Mode.Structure || this.frames.length > 0) throw new JsonSyntaxError(`unexpected end of input at position ${this.offset}`);
    if (this.expect !== Expect.Top) throw new JsonSyntaxError(`unexpected end of input at position ${this.offset}`);
  }

  private fail(chunk: string, i: number, what: string): never {
    const c = chunk[i] ?? "";
    throw new JsonSyntaxError(`${what} ${JSON.stringify(c)} at position ${this.offset + i}`);
  }

  /** Structural tokens from `i`; returns where it stopped (the chunk's end or a mode change). */
  private structure(chunk: string, i: number): number {
    const n = chunk.length;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.expect) {
        case Expect.Colon:
          if (c !== COLON) this.fail(chunk, i, "expected ':' but found");
          this.expect = Expect.Value;
          i++;
          continue;
        case Expect.CommaOrEnd: {
          const top = this.frames[this.frames.length - 1]!;
          if (c === COMMA) this.expect = top.isArray ? Expect.Value : Expect.Key;
          else if (c === (top.isArray ? CLOSE_BRACKET : CLOSE_BRACE)) this.close();
          else this.fail(chunk, i, "expected ',' or the end of the container but found");
          i++;
          continue;
        }
        case Expect.Key:
        case Expect.KeyOrEnd:
          if (c === CLOSE_BRACE && this.expect === Expect.KeyOrEnd) {
            this.close();
            i++;
            continue;
          }
          if (c !== QUOTE) this.fail(chunk, i, "expected a key but found");
          this.mode = Mode.String;
          this.isKey = true;
          this.wanted = false;
          return this.string(chunk, i + 1, i + 1);
        default: // a value may start here
          if (c === CLOSE_BRACKET && this.expect === Expect.ValueOrEnd) {
            this.close();
            i++;
            continue;
          }
          return this.startValue(chunk, i, c);
      }
    }
    return i;
  }

  private startValue(chunk: string, i: number, c: number): number {
    const top = this.frames[this.frames.length - 1];
    if (top !== undefined) this.path.push(top.isArray ? top.index : top.key);
    const wanted = this.visitor.want(this.path);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (wanted !== false) {
        this.small = wanted === "small";
        this.mode = Mode.Capture;
        this.depth = 1;
        this.inString = false;
        this.escaped = false;
        return this.capture(chunk, i, i + 1);
      }
      this.frames.push({ isArray: c === OPEN_BRACKET, index: 0, key: "" });
      this.expect = c === OPEN_BRACKET ? Expect.ValueOrEnd : Expect.KeyOrEnd;
      return i + 1;
    }
    this.wanted = wanted !== false;
    if (c === QUOTE) {
      this.mode = Mode.String;
      this.isKey = false;
      return this.string(chunk, i, i + 1);
    }
    if (!isLiteralChar(c)) this.fail(chunk, i, "unexpected");
    this.mode = Mode.Literal;
    return this.literal(chunk, i, i);
  }

  /** A container that was walked (not assembled) ended. */
  private close(): void {
    this.frames.pop();
    this.visitor.end(this.path);
    this.leaveValue();
  }

  /** After a value at `path` is complete: drop its key, step the parent array's index. */
  private leaveValue(): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) {
      this.expect = Expect.Top;
      return;
    }
    this.path.pop();
    if (parent.isArray) parent.index++;
    this.expect = Expect.CommaOrEnd;
  }

  private keep(text: string): void {
    this.pieces.push(text);
    this.piecesLength += text.length;
  }

  /** The token's text: earlier pieces and this chunk's `tail`; resets the pieces. */
  private take(tail: string): string {
    if (this.pieces.length === 0) return tail;
    this.pieces.push(tail);
    const text = this.pieces.join("");
    this.pieces = [];
    this.piecesLength = 0;
    return text;
  }

  /** Inside a wanted container that started at `start` of this chunk (0 when it began earlier); scanning from `i`. */
  private capture(chunk: string, start: number, i: number): number {
    const n = chunk.length;
    let depth = this.depth;
    let inString = this.inString;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    // Next quote and backslash at or after i (-1: none left in this chunk), found once each.
    let quote = -2;
    let backslash = -2;
    while (i < n) {
      if (inString) {
        if (quote !== -1 && quote < i) quote = chunk.indexOf('"', i);
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf("\\", i);
        if (backslash >= 0 && (quote < 0 || backslash < quote)) {
          i = backslash + 2;
          if (i > n) {
            this.escaped = true;
            i = n;
          }
          continue;
        }
        if (quote < 0) {
          i = n;
          break;
        }
        inString = false;
        i = quote + 1;
        continue;
      }
      const c = chunk.charCodeAt(i++);
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) {
          const text = this.take(chunk.slice(start, i));
          this.mode = Mode.Structure;
          this.small = false;
          this.deliver(text, i);
          return i;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    if (this.small && this.piecesLength + (n - start) > this.smallValueChars) {
      this.walkInto(this.take(chunk.slice(start, n)), n);
      return n;
    }
    this.keep(chunk.slice(start, n));
    return n;
  }

  /**
   * A value wanted "small" grew too large: read what was captured of it again as structure
   * (its parts are offered to `want`), then go on with the next chunk from there.
   */
  private walkInto(text: string, chunkEnd: number): void {
    this.small = false;
    this.mode = Mode.Structure;
    this.escaped = false;
    const isArray = text.charCodeAt(0) === OPEN_BRACKET;
    this.frames.push({ isArray, index: 0, key: "" });
    this.expect = isArray ? Expect.ValueOrEnd : Expect.KeyOrEnd;
    const offset = this.offset;
    this.offset = offset + chunkEnd - text.length; // where the value began, for error messages
    this.run(text, 1);
    this.offset = offset;
  }

  private deliver(text: string, at: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new JsonSyntaxError(`a value ending at position ${this.offset + at} is not valid JSON: ${reason}`);
    }
    this.visitor.value(this.path, value);
    this.leaveValue();
  }

  /**
   * A string outside a wanted container. `start` is where its kept text begins in this chunk
   * (a key: after its opening quote; a value: at it; 0 in a later chunk); scanning from `i`.
   */
  private string(chunk: string, start: number, i: number): number {
    const n = chunk.length;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    let quote = -2;
    let backslash = -2;
    for (;;) {
      if (i < n) {
        if (quote !== -1 && quote < i) quote = chunk.indexOf('"', i);
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf("\\", i);
        if (backslash >= 0 && (quote < 0 || backslash < quote)) {
          i = backslash + 2;
          if (i > n) {
            this.escaped = true;
            i = n;
          }
          continue;
        }
        if (quote >= 0) {
          i = quote + 1;
          break;
        }
      }
      // The string continues in the next chunk. Unwanted values are skipped, not kept.
      if (this.isKey || this.wanted) {
        if (this.isKey && this.piecesLength + (n - start) > MAX_TOKEN) this.fail(chunk, n - 1, "a key longer than 1 MiB, at");
        this.keep(chunk.slice(start, n));
      }
      return n;
    }
    this.mode = Mode.Structure;
    if (this.isKey) {
      const raw = this.take(chunk.slice(start, i - 1));
      this.frames[this.frames.length - 1]!.key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
      this.expect = Expect.Colon;
    } else if (this.wanted) this.deliver(this.take(chunk.slice(start, i)), i);
    else this.leaveValue();
    return i;
  }

  /** A number, true, false or null; it ends at the first character that cannot belong to it. */
  private literal(chunk: string, start: number, i: number): number {
    const n = chunk.length;
    while (i < n && isLiteralChar(chunk.charCodeAt(i))) i++;
    if (i === n) {
      if (this.piecesLength + (n - start) > MAX_TOKEN) this.fail(chunk, n - 1, "a literal longer than 1 MiB, at");
      this.keep(chunk.slice(start, n));
      return n;
    }
    const text = this.take(chunk.slice(start, i));
    this.mode = Mode.Structure;
    this.finishLiteral(text, i);
    return i;
  }

  private finishLiteral(text: string, at = 0): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JsonSyntaxError(`${JSON.stringify(text.slice(0, 20))} is not a JSON value, at position ${this.offset + at - text.length}`);
    }
    if (this.wanted) this.visitor.value(this.path, value);
    this.leaveValue();
  }
}
