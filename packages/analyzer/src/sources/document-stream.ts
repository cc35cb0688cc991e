// A JSON document read chunk by chunk: stream-json's bare tokenizer feeds the JsonWalker, so a
// document of any size (a traces file, a Jaeger page) is read with memory bounded by its largest
// wanted value. The tokenizer is called synchronously on each chunk: far cheaper than a token
// stream in object mode (one async step per token). It answers one token, none, or many.
import { jsonParser } from "stream-json/parser.js";
import { JsonWalker, type JsonToken, type JsonVisitor } from "./json-walker.js";

const NONE = Symbol.for("object-stream.none");
const MANY = Symbol.for("object-stream.many");
type Tokenizer = (chunk: string | symbol) => unknown;

/** The input is not valid JSON; the caller says where (file line, bytes of an answer). */
export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
}

export class DocumentStream {
  private readonly walker: JsonWalker;
  // jsonStreaming: several top-level values (JSON lines too long to sniff) still read.
  private readonly tokenize = jsonParser({ packValues: true, streamValues: false, jsonStreaming: true }) as unknown as Tokenizer;

  constructor(visitor: JsonVisitor) {
    this.walker = new JsonWalker(visitor);
  }

  push(chunk: string): void {
    this.feed(chunk);
  }

  end(): void {
    this.feed(NONE);
  }

  private feed(chunk: string | symbol): void {
    let out: unknown;
    try {
      out = this.tokenize(chunk);
    } catch (error) {
      throw new JsonSyntaxError(error instanceof Error ? error.message : String(error));
    }
    // Only the tokenizer's errors are the input's fault; the visitor's propagate as they are.
    if (out === NONE || out === undefined || out === null) return;
    const many = out as { [MANY]?: number; values?: JsonToken[] };
    if (many[MANY] === 1) for (const token of many.values!) this.walker.consume(token);
    else this.walker.consume(out as JsonToken);
  }
}
