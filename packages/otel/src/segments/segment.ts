import { context, trace, type Attributes, type Span } from "@opentelemetry/api";
import { recordError } from "./record-error.js";
import { getTracer } from "./tracer.js";

/** A segment opened by `profiler.segment()`; ends when disposed (`using`) or on `end()`. */
export interface Segment extends Disposable {
  readonly span: Span;
  /** Records an error on the segment (status ERROR); `using` cannot see exceptions itself. */
  recordError(error: unknown): void;
  /** Ends the segment and restores the previous active context; idempotent. */
  end(): void;
}

class ActiveSegment implements Segment {
  readonly span: Span;
  private token: { dispose(): void } | undefined;

  constructor(name: string, attributes: Attributes | undefined) {
    const parent = context.active();
    this.span = getTracer().startSpan(name, attributes === undefined ? undefined : { attributes }, parent);
    // Makes the segment the active span for the rest of the synchronous scope, so profile()
    // and llmCall() inside it nest under it (context.attach, OpenTelemetry API 1.10).
    this.token = context.attach(trace.setSpan(parent, this.span));
  }

  recordError(error: unknown): void {
    recordError(this.span, error);
  }

  end(): void {
    const token = this.token;
    if (token === undefined) return;
    this.token = undefined;
    token.dispose();
    this.span.end();
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/**
 * Opens a segment for a synchronous scope: `using seg = profiler.segment("parse")`. The span is
 * active until the scope ends. For scopes that await, use `profile()` instead: an attached
 * context does not follow an `await` back out of the scope cleanly.
 */
export function segment(name: string, attributes?: Attributes): Segment {
  return new ActiveSegment(name, attributes);
}

export const profiler = { segment };
