// The request side of the node:http / node:http2 capture: a write() and an end() that first look
// at the body chunk, then call the stream's own — the app's request is sent exactly as before.
// Node publishes no channel that carries a request body, and http.client.request.start comes
// after end() for a body sent in one call, so the body can only be seen here.
// node:http: installed on ClientRequest.prototype; a request is looked at when it is a POST to an
// LLM-looking path, every other one pays a WeakMap lookup per write. node:http2: installed on the
// one stream, when http2.client.stream.created says it is such a request.

/** Request bodies longer than this are not read (the request is then not captured). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

type StreamMethod = (this: object, ...args: unknown[]) => unknown;

export interface RequestBodyHandlers<R extends object> {
  /** Should this request's body be gathered (asked once, at its first write)? */
  wanted(request: R): boolean;
  /**
   * Undefined when the capture is ready; otherwise a promise that settles when it is. A wanted
   * request's write() and end() calls are held until then and replayed in order, so nothing of
   * it is sent (and no response can come) before its llm_call can open.
   */
  ready?(): Promise<unknown> | undefined;
  /** The whole body, as the app ends the request; `send` ends it (called exactly once, whatever happens). */
  ended(request: R, body: string, send: () => void): void;
}

interface Gathering {
  chunks: Buffer[];
  size: number;
}

export class RequestBodyTap<R extends object> {
  readonly #handlers: RequestBodyHandlers<R>;
  /** null: looked at, not wanted (or given up). */
  readonly #gathering = new WeakMap<R, Gathering | null>();
  /** The calls held for a request while the capture gets ready. */
  readonly #held = new WeakMap<R, [StreamMethod, unknown[]][]>();

  constructor(handlers: RequestBodyHandlers<R>) {
    this.#handlers = handlers;
  }

  /** Gather this request's body from now on, without asking `wanted` (http2: decided at creation). */
  follow(request: R): void {
    this.#gathering.set(request, { chunks: [], size: 0 });
  }

  /** A write() and an end() that show the body to the tap before calling the originals. */
  methods(originalWrite: StreamMethod, originalEnd: StreamMethod): { write: StreamMethod; end: StreamMethod } {
    const tap = this;
    const methods = {
      write: function write(this: object, ...args: unknown[]) {
        // While held, write() says the chunk was taken (its callback runs once it is sent).
        if (tap.#hold(this as R, methods.write, args)) return true;
        tap.#safely(() => tap.#gather(this as R, args[0], args[1]));
        return Reflect.apply(originalWrite, this, args);
      },
      end: function end(this: object, ...args: unknown[]) {
        // end() returns the stream itself (OutgoingMessage and Http2Stream alike).
        if (tap.#hold(this as R, methods.end, args)) return this;
        const state = tap.#safely(() => tap.#gather(this as R, args[0], args[1]));
        if (state === null) return Reflect.apply(originalEnd, this, args);
        tap.#gathering.set(this as R, null);
        let result: unknown;
        let sent = false;
        const send = () => {
          if (sent) return;
          sent = true;
          result = Reflect.apply(originalEnd, this, args);
        };
        try {
          tap.#handlers.ended(this as R, Buffer.concat(state.chunks).toString("utf8"), send);
        } catch {
          // The capture failed; the request goes out all the same (below).
        } finally {
          send();
        }
        return result;
      },
    };
    return methods;
  }

  /** Queues this call when the request is held or must wait for the capture; false: go on now. */
  #hold(request: R, method: StreamMethod, args: unknown[]): boolean {
    const queue = this.#held.get(request);
    if (queue) {
      queue.push([method, args]);
      return true;
    }
    const waiting = this.#safely(() => this.#stateOf(request)) !== null ? this.#handlers.ready?.() : undefined;
    if (waiting === undefined) return false;
    this.#held.set(request, [[method, args]]);
    const replay = () => {
      const calls = this.#held.get(request) ?? [];
      this.#held.delete(request);
      for (const [held, heldArgs] of calls) Reflect.apply(held, request, heldArgs);
    };
    waiting.then(replay, replay);
    return true;
  }

  #stateOf(request: R): Gathering | null {
    let state = this.#gathering.get(request);
    if (state === undefined) {
      state = this.#handlers.wanted(request) ? { chunks: [], size: 0 } : null;
      this.#gathering.set(request, state);
    }
    return state;
  }

  #gather(request: R, chunk: unknown, encoding: unknown): Gathering | null {
    const state = this.#stateOf(request);
    if (state === null || chunk === undefined || chunk === null || typeof chunk === "function") return state;
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, Buffer.isEncoding(encoding as string) ? (encoding as BufferEncoding) : "utf8")
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : undefined;
    state.size += bytes?.byteLength ?? 0;
    if (bytes === undefined || state.size > MAX_REQUEST_BYTES) {
      this.#gathering.set(request, null);
      return null;
    }
    state.chunks.push(bytes);
    return state;
  }

  #safely(step: () => Gathering | null): Gathering | null {
    try {
      return step();
    } catch {
      return null;
    }
  }
}
