// Follows a body in the AWS event-stream framing (application/vnd.amazon.eventstream: Bedrock's
// ConverseStream and InvokeModelWithResponseStream). Each message is decoded with the AWS SDK's
// own codec (prelude and message CRCs, typed headers) and handed to the accumulator as (name,
// payload text): the `:event-type` of an event, the `:exception-type` of an exception.
//
// Splitting the bytes into messages is done here rather than with the SDK's getChunkedStream:
// that one is an async iterator over a source stream, while observers are fed synchronously by the
// transport and must have summarised everything when end() returns. The split is only the
// 4-byte big-endian length at the start of every message.
import { createRequire } from "node:module";
import type { EventStreamCodec, Message } from "@smithy/core/event-streams";
import { StreamObserver } from "./stream-observer.js";
import type { StreamSink } from "./stream-sink.js";
import type { Accumulator } from "./wire/summary.js";

/** The largest message the AWS event-stream format allows (16 MiB payload plus headers and framing). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 128 * 1024 + 16;
const PRELUDE_BYTES = 12;

const utf8 = new TextDecoder();
let shared: EventStreamCodec | undefined;

/**
 * The AWS SDK's codec, loaded with the first Bedrock stream: only apps that stream from Bedrock
 * keep it in memory (about 0.7 MB of heap, which every garbage collection walks).
 */
function codec(): EventStreamCodec {
  if (shared === undefined) {
    const { EventStreamCodec } = createRequire(import.meta.url)("@smithy/core/event-streams") as typeof import("@smithy/core/event-streams");
    shared = new EventStreamCodec(
      (bytes) => utf8.decode(bytes),
      (text) => new TextEncoder().encode(text),
    );
  }
  return shared;
}

export class EventStreamBodyObserver extends StreamObserver {
  /** Bytes of the message being received, not complete yet. */
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(sink: StreamSink, accumulator: Accumulator) {
    super(sink, accumulator);
  }

  protected take(bytes: Uint8Array): void {
    let rest = bytes;
    while (rest.byteLength > 0) {
      if (this.#pendingBytes === 0 && rest.byteLength >= 4) {
        // The common case: whole messages in one chunk, decoded in place without copies.
        const length = messageLength(rest);
        if (rest.byteLength >= length) {
          this.#emit(rest.subarray(0, length));
          rest = rest.subarray(length);
          continue;
        }
      }
      this.#pending.push(rest);
      this.#pendingBytes += rest.byteLength;
      rest = this.#completePending();
    }
  }

  /** Joins the pending pieces once they hold a whole message; returns the bytes past it. */
  #completePending(): Uint8Array {
    if (this.#pendingBytes < 4) return new Uint8Array(0);
    const joined = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    const length = messageLength(joined);
    if (joined.byteLength < length) {
      this.#pending = [joined];
      return new Uint8Array(0);
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#emit(joined.subarray(0, length));
    return joined.subarray(length);
  }

  #emit(bytes: Uint8Array): void {
    const message = codec().decode(bytes);
    const name = messageName(message);
    if (name !== undefined) this.accumulator.event(name, utf8.decode(message.body));
  }

  /** The format bounds every message (16 MiB): none is skipped; a longer length is not this format and stops the observing. */
  protected get skipped(): boolean {
    return false;
  }

  /** A binary body read as text has lost its bytes: nothing to decode (the span keeps what it has). */
  protected takeText(): void {}

  /** A message cut short by the end of the body is dropped. */
  protected readRest(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

function messageLength(bytes: Uint8Array): number {
  const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  if (length < PRELUDE_BYTES + 4 || length > MAX_MESSAGE_BYTES) throw new Error(`not an AWS event-stream message (length ${length})`);
  return length;
}

function messageName(message: Message): string | undefined {
  const header = (name: string) => {
    const value = message.headers[name];
    return value?.type === "string" ? value.value : undefined;
  };
  const type = header(":message-type");
  if (type === "event") return header(":event-type");
  if (type === "exception") return header(":exception-type");
  // A protocol-level error message: named so accumulators can tell it from an event.
  return `error:${header(":error-code") ?? "unknown"}`;
}
