// Observes a Response's body as the app reads it, on the app's very Response object: its body
// methods (json, text, arrayBuffer, bytes, blob) are wrapped to see their result, and `body`
// becomes a pull-through stream that hands every chunk to the app unchanged, then to us.
// Nothing is read ahead and nothing is copied: the app's reads drive everything.

export interface BodyObserver {
  /** A chunk the app just received through response.body. */
  chunk(bytes: Uint8Array): void;
  /** response.body ended normally. */
  end(): void;
  /** The whole body, read through a body method; `parsed` when it came from json(). */
  whole(text: string | undefined, parsed?: unknown): void;
  /** Reading failed, was aborted, or the app cancelled the stream. */
  interrupted(reason: unknown): void;
}

const proto = Response.prototype;
const bodyGetter = Object.getOwnPropertyDescriptor(proto, "body")!.get!;
const decoder = new TextDecoder();

type Method = "json" | "text" | "arrayBuffer" | "bytes" | "blob";

export function observeBody(response: Response, observer: BodyObserver, withStream = true): void {
  let streaming = false;
  const see = <T>(name: Method, toWhole: (result: T) => void) => {
    const original = (proto as unknown as Record<Method, ((this: Response) => Promise<T>) | undefined>)[name];
    if (original === undefined) return;
    Object.defineProperty(response, name, {
      configurable: true,
      writable: true,
      value: function (this: Response): Promise<T> {
        const result = original.call(this);
        // Registered before the caller's own reaction, so the span is filled first.
        result.then(
          (value) => {
            try {
              toWhole(value);
            } catch (error) {
              observer.interrupted(error);
            }
          },
          (error: unknown) => {
            if (!streaming) observer.interrupted(error);
          },
        );
        return result;
      },
    });
  };
  see<unknown>("json", (value) => observer.whole(undefined, value));
  see<string>("text", (text) => observer.whole(text));
  see<ArrayBuffer>("arrayBuffer", (buffer) => observer.whole(decoder.decode(buffer)));
  see<Uint8Array>("bytes", (bytes) => observer.whole(decoder.decode(bytes)));
  see<Blob>("blob", (blob) => {
    blob.text().then((text) => observer.whole(text), (error: unknown) => observer.interrupted(error));
  });
  Object.defineProperty(response, "clone", {
    configurable: true,
    writable: true,
    value: function (this: Response): Response {
      const copy = proto.clone.call(this);
      // Whichever copy is read whole first tells us; streams are followed on the original only.
      observeBody(copy, observer, false);
      return copy;
    },
  });
  if (!withStream) return;

  let wrapper: ReadableStream<Uint8Array> | null | undefined;
  Object.defineProperty(response, "body", {
    configurable: true,
    enumerable: true,
    get(this: Response): ReadableStream<Uint8Array> | null {
      if (wrapper !== undefined) return wrapper;
      const inner = bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      if (inner === null) return (wrapper = null);
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      wrapper = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (reader === undefined) {
              streaming = true;
              reader = inner.getReader();
            }
            return reader.read().then(
              (result) => {
                if (result.done) {
                  controller.close();
                  observer.end();
                } else {
                  controller.enqueue(result.value);
                  observer.chunk(result.value);
                }
              },
              (error: unknown) => {
                controller.error(error);
                observer.interrupted(error);
              },
            );
          },
          cancel(reason) {
            observer.interrupted(reason);
            return reader !== undefined ? reader.cancel(reason) : inner.cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
      return wrapper;
    },
  });
}
