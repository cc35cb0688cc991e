// The fetch transport's body observation: follows a Response's body as the app reads it,
// on the app's very Response object: the response gets a prototype (under Response.prototype) whose body methods (json, text,
// arrayBuffer, bytes, blob) report their result, and whose `body` is a pull-through stream that
// hands every chunk to the app unchanged, then to us. Nothing is read ahead and nothing is
// copied: the app's reads drive everything. One shared prototype keeps the per-response cost
// to a WeakMap entry.
import type { BodyObserver } from "./body-observer.js";

interface Observed {
  observer: BodyObserver;
  /** The app reads through response.body: failures of a later body method are not ours. */
  streaming: boolean;
  wrapper?: ReadableStream<Uint8Array> | null;
}

const proto = Response.prototype;
const bodyGetter = Object.getOwnPropertyDescriptor(proto, "body")!.get!;
const decoder = new TextDecoder();
const observed = new WeakMap<Response, Observed>();

type Method = "json" | "text" | "arrayBuffer" | "bytes" | "blob";

function reporting<T>(name: Method, toWhole: (observer: BodyObserver, result: T) => void): PropertyDescriptor | undefined {
  const original = (proto as unknown as Record<Method, ((this: Response) => Promise<T>) | undefined>)[name];
  if (original === undefined) return undefined;
  return {
    configurable: true,
    writable: true,
    value: function (this: Response): Promise<T> {
      const result = original.call(this);
      const state = observed.get(this);
      // Registered before the caller's own reaction, so the span is filled first.
      if (state !== undefined) {
        result.then(
          (value) => {
            try {
              toWhole(state.observer, value);
            } catch (error) {
              state.observer.interrupted(error);
            }
          },
          (error: unknown) => {
            if (!state.streaming) state.observer.interrupted(error);
          },
        );
      }
      return result;
    },
  };
}

const methods: PropertyDescriptorMap = {};
for (const [name, descriptor] of [
  ["json", reporting<unknown>("json", (o, value) => o.whole(undefined, value))],
  ["text", reporting<string>("text", (o, text) => o.whole(text))],
  ["arrayBuffer", reporting<ArrayBuffer>("arrayBuffer", (o, buffer) => o.whole(decoder.decode(buffer)))],
  ["bytes", reporting<Uint8Array>("bytes", (o, bytes) => o.whole(decoder.decode(bytes)))],
  [
    "blob",
    reporting<Blob>("blob", (o, blob) => {
      blob.text().then((text) => o.whole(text), (error: unknown) => o.interrupted(error));
    }),
  ],
] as const) {
  if (descriptor !== undefined) methods[name] = descriptor;
}
methods.clone = {
  configurable: true,
  writable: true,
  value: function (this: Response): Response {
    const copy = proto.clone.call(this);
    const state = observed.get(this);
    // Whichever copy is read whole first tells us; streams are followed on the original only.
    if (state !== undefined) observeBody(copy, state.observer, false);
    return copy;
  },
};

/** Body methods observed; response.body left as it is (copies made by clone()). */
const wholeOnly: Response = Object.create(proto, methods);

const withStream: Response = Object.create(wholeOnly, {
  body: {
    configurable: true,
    enumerable: true,
    get(this: Response): ReadableStream<Uint8Array> | null {
      const state = observed.get(this);
      if (state === undefined) return bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      if (state.wrapper !== undefined) return state.wrapper;
      const inner = bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      if (inner === null) return (state.wrapper = null);
      state.wrapper = passThrough(inner, state);
      return state.wrapper;
    },
  },
});

/**
 * A pull-through stream over `inner`: each read of the app pulls one chunk, hands it on, then
 * shows it to the observer. The read handlers are made once per stream, not once per chunk.
 */
function passThrough(inner: ReadableStream<Uint8Array>, state: Observed): ReadableStream<Uint8Array> {
  const observer = state.observer;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onRead = (result: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>): void => {
    if (result.done) {
      controller.close();
      observer.end();
    } else {
      controller.enqueue(result.value);
      observer.chunk(result.value);
    }
  };
  const onError = (error: unknown): void => {
    controller.error(error);
    observer.interrupted(error);
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
        observer.interrupted(reason);
        return reader !== undefined ? reader.cancel(reason) : inner.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

export function observeBody(response: Response, observer: BodyObserver, withBodyStream = true): void {
  observed.set(response, { observer, streaming: false });
  Object.setPrototypeOf(response, withBodyStream ? withStream : wholeOnly);
}
