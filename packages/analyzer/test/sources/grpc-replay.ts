// A real HTTP/2 server answering gRPC calls with recorded answers: each method's recorded
// length-prefixed messages as Jaeger sent them, then the status in the trailers. It records the
// request bodies, and can cut the answer into small writes or answer with an error status.
import { createServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";

export interface GrpcAnswer {
  /** The answer's messages, framed as on the wire (flag byte, uint32 length, bytes). */
  frames?: Buffer;
  /** grpc-status in the trailers (0 = OK) and grpc-message. */
  status?: number;
  message?: string;
  /** Write the frames in pieces of this many bytes (messages then span several DATA frames). */
  pieceBytes?: number;
}

export interface GrpcReplay {
  address: string;
  /** Request bodies by method path, in the order they came. */
  requests: { path: string; body: Buffer }[];
  close(): Promise<void>;
}

export async function startGrpcReplay(answers: Record<string, GrpcAnswer>): Promise<GrpcReplay> {
  const requests: GrpcReplay["requests"] = [];
  const server: Http2Server = createServer();
  server.on("stream", (stream: ServerHttp2Stream, headers) => {
    const path = String(headers[":path"]);
    const parts: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => parts.push(chunk));
    stream.on("end", () => {
      requests.push({ path, body: Buffer.concat(parts) });
      const answer = answers[path];
      if (answer === undefined) {
        // What grpc-go sends for an unknown method: a trailers-only answer.
        stream.respond(
          { ":status": 200, "content-type": "application/grpc", "grpc-status": "12", "grpc-message": `unknown method ${path}` },
          { endStream: true },
        );
        return;
      }
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => {
        stream.sendTrailers({
          "grpc-status": String(answer.status ?? 0),
          ...(answer.message !== undefined ? { "grpc-message": encodeURIComponent(answer.message) } : {}),
        });
      });
      const frames = answer.frames ?? Buffer.alloc(0);
      const piece = answer.pieceBytes ?? frames.length;
      for (let at = 0; at < frames.length; at += piece) stream.write(frames.subarray(at, at + piece));
      stream.end();
    });
  });
  const sessions = new Set<import("node:http2").ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const session of sessions) session.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
