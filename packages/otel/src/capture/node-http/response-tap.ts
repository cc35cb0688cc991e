// The response side of the node:http / node:http2 capture. The body is seen where Node hands it
// to the response stream (IncomingMessage, ClientHttp2Stream): the stream gets its own push()
// (and _destroy()) that call the originals first, then show the chunk to the observer. No
// listener is added and nothing is read: the app's flowing or paused mode, backpressure (push's
// answer goes back to Node unchanged), events and their order stay as they were.
import type { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import type { BodyObserver } from "../body-observer.js";

type Push = (this: Readable, chunk: unknown, encoding?: BufferEncoding) => boolean;
type Destroy = (this: Readable, error: Error | null, callback: (error?: Error | null) => void) => void;

export function tapResponse(response: Readable, contentEncoding: string | undefined, observer: BodyObserver): void {
  const feed = decodedFeed(contentEncoding, observer);
  const originalPush = response.push as Push;
  const originalDestroy = (response as unknown as { _destroy: Destroy })._destroy;
  let ended = false;
  const push: Push = function push(this: Readable, chunk, encoding) {
    const accepted = originalPush.call(this, chunk, encoding);
    if (!ended) {
      if (chunk === null) {
        ended = true;
        feed.end();
      } else if (chunk instanceof Uint8Array) {
        feed.chunk(chunk);
      }
    }
    return accepted;
  };
  const destroy: Destroy = function _destroy(this: Readable, error, callback) {
    if (!ended) {
      ended = true;
      feed.interrupted(error ?? undefined);
    }
    return originalDestroy.call(this, error, callback);
  };
  // Not enumerable: the app's view of the message's own keys does not change.
  Object.defineProperty(response, "push", { configurable: true, writable: true, enumerable: false, value: push });
  Object.defineProperty(response, "_destroy", { configurable: true, writable: true, enumerable: false, value: destroy });
}

interface Feed {
  chunk(bytes: Uint8Array): void;
  end(): void;
  interrupted(reason: unknown): void;
}

/** The observer sees the body decoded: a compressed body goes through our own zlib decompressor. */
function decodedFeed(encoding: string | undefined, observer: BodyObserver): Feed {
  const decompressor = decompressorFor(encoding?.trim().toLowerCase());
  if (decompressor === undefined) {
    return { chunk: (bytes) => observer.chunk(bytes), end: () => observer.end(), interrupted: (reason) => observer.interrupted(reason) };
  }
  let settled = false;
  decompressor.on("data", (bytes: Buffer) => {
    if (!settled) observer.chunk(bytes);
  });
  decompressor.on("end", () => {
    if (settled) return;
    settled = true;
    observer.end();
  });
  decompressor.on("error", () => {
    if (settled) return;
    settled = true;
    // The app decodes its own copy; ours failing only means the span learns nothing more.
    observer.whole(undefined);
  });
  return {
    chunk: (bytes) => decompressor.write(bytes),
    end: () => decompressor.end(),
    interrupted: (reason) => {
      if (settled) return;
      settled = true;
      decompressor.destroy();
      observer.interrupted(reason);
    },
  };
}

function decompressorFor(encoding: string | undefined): Transform | undefined {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    case "zstd":
      return zlib.createZstdDecompress();
    default:
      return undefined;
  }
}
