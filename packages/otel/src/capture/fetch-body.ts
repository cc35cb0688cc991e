// The fetch transport's body observation: follows a Response's body as the app reads it, on the
// app's very Response object. The response gets a prototype (under Response.prototype) whose
// `body` is a pull-through stream that hands every chunk to the app unchanged, then to us, and
// whose body methods (json, text, arrayBuffer, bytes, blob, formData) either report their result
// (whole JSON bodies) or, for streams, read through that same pull-through stream, so a stream
// read whole gives the same chunks, timing and usage as one read chunk by chunk. Nothing is read
// ahead and nothing is copied: the app's reads drive everything. One shared prototype keeps the
// per-response cost to a WeakMap entry.
//
// The span's life follows whatever the app still holds: the Response, its body stream, a clone.
// Only when all of them are unreachable (the AI SDK keeps just `response.body`) is it abandoned.
import type { BodyObserver } from "./body-observer.js";

/** One observed body, shared by a Response and its clones. */
interface Body {
  readonly observer: BodyObserver;
  /** A stream (SSE, NDJSON): body methods read through the pull-through stream. */
  readonly stream: boolean;
  /** Objects the app may still read the body through (Responses, clones, body streams). */
  holders: number;
  copies: number;
  /** With clones, the copy whose stream the observer follows (the first one read). */
  reader?: Observed;
}

interface Observed {
  readonly body: Body;
  /** The app reads through response.body: failures of a later body method are not ours. */
  streaming: boolean;
  wrapper?: ReadableStream<Uint8Array> | null;
}

const decoder = new TextDecoder();
const observed = new WeakMap<Response, Observed>();

const unreachable = new FinalizationRegistry<Body>((body) => {
  if (--body.holders === 0) body.observer.abandoned();
});

function hold(body: Body, holder: object): void {
  body.holders++;
  unreachable.register(holder, body);
}

type Method = "json" | "text" | "arrayBuffer" | "bytes" | "blob" | "formData";
type Original<T> = ((this: Response) => Promise<T>) | undefined;

function reporting<T>(proto: Response, name: Method, toWhole?: (observer: BodyObserver, result: T) => void): PropertyDescriptor | undefined {
  const original = (proto as unknown as Record<Method, Original<T>>)[name];
  if (original === undefined) return undefined;
  return {
    configurable: true,
    writable: true,
    value: function (this: Response): Promise<T> {
      const state = observed.get(this);
      if (state?.body.stream === true && !this.bodyUsed) {
        // Read the stream through the pull-through body: same bytes, same decoding and errors
        // (a Response over it with the same headers), every chunk seen as it arrives.
        try {
          return original.call(new Response(this.body, { headers: this.headers }));
        } catch (error) {
          // A body the app holds a reader on: rejected, as the method itself would.
          return Promise.reject(error);
        }
      }
      const result = original.call(this);
      // Registered before the caller's own reaction, so the span is filled first.
      if (state !== undefined && toWhole !== undefined) {
        result.then(
          (value) => {
            try {
              toWhole(state.body.observer, value);
            } catch (error) {
              state.body.observer.interrupted(error);
            }
          },
          (error: unknown) => {
            if (!state.streaming) state.body.observer.interrupted(error);
          },
        );
      }
      return result;
    },
  };
}

// Made for the first observed response: reading Response.prototype loads Node's fetch
// implementation (undici), which an app that never calls fetch should not pay for at start-up.
let withStreamPrototype: Response | undefined;

function withStream(): Response {
  if (withStreamPrototype !== undefined) return withStreamPrototype;
  const proto = Response.prototype;
  const bodyGetter = Object.getOwnPropertyDescriptor(proto, "body")!.get!;
  const methods: PropertyDescriptorMap = {};
  for (const [name, descriptor] of [
    ["json", reporting<unknown>(proto, "json", (o, value) => o.whole(undefined, value))],
    ["text", reporting<string>(proto, "text", (o, text) => o.whole(text))],
    ["arrayBuffer", reporting<ArrayBuffer>(proto, "arrayBuffer", (o, buffer) => o.whole(decoder.decode(buffer)))],
    ["bytes", reporting<Uint8Array>(proto, "bytes", (o, bytes) => o.whole(decoder.decode(bytes)))],
    [
      "blob",
      reporting<Blob>(proto, "blob", (o, blob) => {
        blob.text().then(
          (text) => o.whole(text),
          (error: unknown) => o.interrupted(error),
        );
      }),
    ],
    ["formData", reporting<FormData>(proto, "formData")],
  ] as const) {
    if (descriptor !== undefined) methods[name] = descriptor;
  }
  methods.clone = {
    configurable: true,
    writable: true,
    value: function (this: Response): Response {
      const copy = proto.clone.call(this);
      const state = observed.get(this);
      if (state !== undefined) follow(copy, state.body);
      return copy;
    },
  };

  methods.body = {
    configurable: true,
    enumerable: true,
    get(this: Response): ReadableStream<Uint8Array> | null {
      const state = observed.get(this);
      if (state === undefined) return bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      if (state.wrapper !== undefined) return state.wrapper;
      const inner = bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      if (inner === null) return (state.wrapper = null);
      state.wrapper = passThrough(inner, state);
      hold(state.body, state.wrapper);
      return state.wrapper;
    },
  };
  return (withStreamPrototype = Object.create(proto, methods) as Response);
}

/** With clones, only the copy read first reports its chunks (the others carry the same bytes). */
function follows(state: Observed): boolean {
  const body = state.body;
  if (body.copies === 1) return true;
  body.reader ??= state;
  return body.reader === state;
}

/**
 * A pull-through stream over `inner`: each read of the app pulls one chunk, hands it on, then
 * shows it to the observer. The read handlers are made once per stream, not once per chunk.
 */
function passThrough(inner: ReadableStream<Uint8Array>, state: Observed): ReadableStream<Uint8Array> {
  const observer = state.body.observer;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onRead = (result: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>): void => {
    if (result.done) {
      controller.close();
      if (follows(state)) observer.end();
    } else {
      controller.enqueue(result.value);
      if (follows(state)) observer.chunk(result.value);
    }
  };
  const onError = (error: unknown): void => {
    controller.error(error);
    if (follows(state)) observer.interrupted(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        if (reader === undefined) {
          state.streaming = true;
          reader = inner.getReader();
        }
        return reader.read().then(onRead, onError);
      },
      cancel(reason) {
        if (follows(state)) observer.interrupted(reason);
        return reader !== undefined ? reader.cancel(reason) : inner.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function follow(response: Response, body: Body): void {
  body.copies++;
  observed.set(response, { body, streaming: false });
  hold(body, response);
  Object.setPrototypeOf(response, withStream());
}

/**
 * Follows `response`'s body with `observer`. `stream`: the body is a stream of events, read whole
 * or not; otherwise a whole JSON body, whose body methods report their result.
 */
export function observeBody(response: Response, observer: BodyObserver, stream: boolean): void {
  follow(response, { observer, stream, holders: 0, copies: 0 });
}
