// What every streamed-body observer (SSE, NDJSON) shares: time to first chunk, the end, the stop
// and the abandon paths, and a guard so a fault of ours stops the observing, never the app.
import { ATTR_JOTTY_LLM_EVENT_SKIPPED } from "@jotty/engine/semconv";
import type { BodyObserver } from "./body-observer.js";
import type { StreamSink } from "./stream-sink.js";
import type { Accumulator, ResponseSummary } from "./wire/summary.js";

export abstract class StreamObserver implements BodyObserver {
  protected readonly sink: StreamSink;
  protected readonly accumulator: Accumulator;
  #observing = true;
  #first = true;

  constructor(sink: StreamSink, accumulator: Accumulator) {
    this.sink = sink;
    this.accumulator = accumulator;
  }

  /** Takes one chunk of the body (only called while observing). */
  protected abstract take(bytes: Uint8Array): void;
  /** Takes the whole body as text. */
  protected abstract takeText(text: string): void;
  /** Parses whatever is still held: the stream is over. */
  protected abstract readRest(): void;

  /** An event longer than the parser's bound was skipped. */
  protected abstract get skipped(): boolean;

  protected summary(): ResponseSummary {
    const summary = this.accumulator.finish();
    if (this.skipped) summary.attributes = { ...summary.attributes, [ATTR_JOTTY_LLM_EVENT_SKIPPED]: true };
    return summary;
  }

  chunk(bytes: Uint8Array): void {
    if (this.#first) {
      this.#first = false;
      this.sink.firstChunk();
    }
    if (this.#observing) this.#guard(() => this.take(bytes));
  }

  end(): void {
    this.#guard(() => this.readRest());
    this.sink.finish(this.summary());
  }

  whole(text: string | undefined): void {
    if (text !== undefined) {
      this.#guard(() => {
        this.takeText(text);
        this.readRest();
      });
    }
    this.sink.finish(this.summary());
  }

  interrupted(reason: unknown): void {
    this.#guard(() => this.readRest());
    // SDKs stop reading at the end event ([DONE], message_stop) and cancel the rest.
    if (this.accumulator.complete) this.sink.finish(this.summary());
    else this.sink.interrupted(reason, this.summary());
  }

  abandoned(): void {
    this.#guard(() => this.readRest());
    if (this.accumulator.complete) this.sink.finish(this.summary());
    else this.sink.abandoned(this.summary());
  }

  #guard(step: () => void): void {
    if (!this.#observing) return;
    try {
      step();
    } catch (error) {
      this.#observing = false;
      this.sink.stopped(error);
    }
  }
}
