// A gRPC client call over node:http2, for the two shapes Jaeger's QueryService needs (unary and
// server streaming): length-prefixed messages in, each answer message handed on as soon as its
// bytes are in, the status from the trailers. No gRPC library: @grpc/grpc-js would load ~40
// modules at start-up and copy every message once more, and this is all of the protocol used.
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from "node:http2";

/** A call that ended with a gRPC status other than OK. */
export class GrpcError extends Error {
  override readonly name = "GrpcError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const GRPC_UNIMPLEMENTED = 12;

// Big windows: Jaeger sends a page of traces as fast as it encodes them, and the default 64 KiB
// window would stall each stream on a round trip per 64 KiB.
const WINDOW = 16 << 20;

/** One HTTP/2 connection to a gRPC server (`http://host:port` plaintext, `https://` TLS). */
export function grpcSession(origin: string, connectTimeoutMs: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(origin, { settings: { initialWindowSize: WINDOW } });
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`no HTTP/2 connection to ${origin} within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    session.once("connect", () => {
      clearTimeout(timer);
      session.off("error", reject);
      session.on("error", () => {}); // failures reach the calls on it
      session.setLocalWindowSize(WINDOW * 4);
      resolve(session);
    });
    session.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Request metadata (lower-cased header names). */
  metadata?: Readonly<Record<string, string>>;
}

/** Calls `path` with one request message; every answer message goes to `onMessage` as it completes. */
export function grpcCall(
  session: ClientHttp2Session,
  path: string,
  request: Buffer,
  onMessage: (message: Buffer) => void,
  options: CallOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request(
      {
        ...options.metadata,
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: path,
        [constants.HTTP2_HEADER_CONTENT_TYPE]: "application/grpc",
        te: "trailers",
        "grpc-accept-encoding": "identity",
      },
      { signal: options.signal },
    );
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      stream.close(constants.NGHTTP2_CANCEL);
      reject(error);
    };
    let status: number | undefined;
    let message = "";
    const readStatus = (headers: IncomingHttpHeaders) => {
      const code = headers["grpc-status"];
      if (code === undefined) return;
      status = Number(code);
      const text = headers["grpc-message"];
      if (typeof text === "string") message = decodeURIComponent(text);
    };
    stream.on("response", (headers) => {
      const httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
      const type = String(headers[constants.HTTP2_HEADER_CONTENT_TYPE] ?? "");
      if (httpStatus !== 200 || !type.startsWith("application/grpc")) {
        fail(new GrpcError(GRPC_UNIMPLEMENTED, `not a gRPC server: HTTP ${httpStatus} ${type}`));
        return;
      }
      readStatus(headers); // a trailers-only answer (an error without messages)
    });
    stream.on("trailers", readStatus);

    // Messages: a compressed flag byte, a big-endian uint32 length, the bytes. Chunks are kept
    // as they came until a message is complete; one inside a single chunk is not copied.
    let chunks: Buffer[] = [];
    let buffered = 0;
    let need = 5;
    let inHeader = true;
    const take = (n: number): Buffer => {
      const first = chunks[0]!;
      if (first.length >= n) {
        const out = first.subarray(0, n);
        if (first.length === n) chunks.shift();
        else chunks[0] = first.subarray(n);
        buffered -= n;
        return out;
      }
      const all = Buffer.concat(chunks, buffered);
      chunks = all.length > n ? [all.subarray(n)] : [];
      buffered -= n;
      return all.subarray(0, n);
    };
    stream.on("data", (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      buffered += chunk.length;
      try {
        while (buffered >= need) {
          if (inHeader) {
            const header = take(5);
            if (header[0] !== 0) throw new GrpcError(13, "compressed gRPC message although identity was asked for");
            need = header.readUInt32BE(1);
            inHeader = false;
            if (need > 0) continue;
          }
          onMessage(need === 0 ? Buffer.alloc(0) : take(need));
          need = 5;
          inHeader = true;
        }
      } catch (error) {
        fail(error as Error);
      }
    });
    stream.on("error", (error) => fail(error));
    stream.on("close", () => {
      if (settled) return;
      settled = true;
      if (status === 0 && buffered === 0 && inHeader) resolve();
      else if (status === undefined || status === 0)
        reject(new GrpcError(13, `gRPC stream closed ${status === undefined ? "without a status" : "inside a message"} (HTTP/2 code ${stream.rstCode})`));
      else reject(new GrpcError(status, message));
    });
    const frame = Buffer.alloc(5 + request.length);
    frame.writeUInt32BE(request.length, 1);
    request.copy(frame, 5);
    stream.end(frame);
  });
}
