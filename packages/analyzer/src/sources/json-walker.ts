// Walks stream-json's token stream keeping the path to the current value, and assembles only
// the values a visitor asks for (one span, one resource), so a document of any size is read
// with memory bounded by its largest wanted value.

export type PathKey = string | number;

export interface JsonVisitor {
  /** Whether the value starting at `path` should be assembled and handed to `value`. */
  want(path: readonly PathKey[]): boolean;
  value(path: readonly PathKey[], value: unknown): void;
  /** A container that was not assembled ended. */
  end(path: readonly PathKey[]): void;
}

export interface JsonToken {
  name: string;
  value?: unknown;
}

interface Frame {
  isArray: boolean;
  index: number;
  key: string;
}

/**
 * The tokenizer cuts string values out of its input chunk, and V8 keeps such a substring as a
 * slice that holds the whole chunk alive: one kept 32-character trace id per span pinned every
 * chunk of a 600 MB Jaeger page. Strings shorter than 13 characters are always copied by V8;
 * longer ones are copied here (the concatenation is flattened into a new string before slicing).
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (" " + text).slice(1);
}

/** Builds one JS value from packed tokens (keyValue/stringValue/numberValue). */
class MiniAssembler {
  private readonly stack: { container: any; key: string }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  done = false;
  result: unknown;

  consume(token: JsonToken): void {
    switch (token.name) {
      case "startObject":
        this.open({});
        return;
      case "startArray":
        this.open([]);
        return;
      case "endObject":
      case "endArray": {
        const { container } = this.stack.pop()!;
        this.put(container);
        return;
      }
      case "keyValue":
        this.stack[this.stack.length - 1]!.key = token.value as string;
        return;
      case "stringValue":
        this.put(ownCopy(token.value as string));
        return;
      case "numberValue":
        this.put(Number(token.value));
        return;
      case "nullValue":
        this.put(null);
        return;
      case "trueValue":
        this.put(true);
        return;
      case "falseValue":
        this.put(false);
        return;
    }
  }

  private open(container: object): void {
    this.stack.push({ container, key: "" });
  }

  private put(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.result = value;
      this.done = true;
      return;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    else top.container[top.key] = value;
  }
}

export class JsonWalker {
  private readonly frames: Frame[] = [];
  private readonly path: PathKey[] = [];
  private assembler: MiniAssembler | undefined;
  private depth = 0; // container depth inside the value being assembled

  constructor(private readonly visitor: JsonVisitor) {}

  consume(token: JsonToken): void {
    if (this.assembler !== undefined) {
      this.assembler.consume(token);
      if (token.name === "startObject" || token.name === "startArray") this.depth++;
      else if (token.name === "endObject" || token.name === "endArray") this.depth--;
      if (this.depth === 0 && this.assembler.done) {
        this.visitor.value(this.path, this.assembler.result);
        this.assembler = undefined;
        this.leaveValue();
      }
      return;
    }
    const top = this.frames[this.frames.length - 1];
    switch (token.name) {
      case "keyValue":
        if (top !== undefined) top.key = token.value as string;
        return;
      case "endObject":
      case "endArray":
        this.frames.pop();
        this.visitor.end(this.path);
        this.leaveValue();
        return;
    }
    // A value starts here.
    if (top !== undefined) this.path.push(top.isArray ? top.index : top.key);
    const isContainer = token.name === "startObject" || token.name === "startArray";
    if (this.visitor.want(this.path)) {
      this.assembler = new MiniAssembler();
      this.assembler.consume(token);
      if (isContainer) {
        this.depth = 1;
        return;
      }
      this.visitor.value(this.path, this.assembler.result);
      this.assembler = undefined;
      this.leaveValue();
      return;
    }
    if (isContainer) {
      this.frames.push({ isArray: token.name === "startArray", index: 0, key: "" });
      return;
    }
    this.leaveValue();
  }

  /** After a value at `path` is complete: drop its key and step the parent array's index. */
  private leaveValue(): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) return; // the root value ended
    this.path.pop();
    if (parent.isArray) parent.index++;
  }
}
