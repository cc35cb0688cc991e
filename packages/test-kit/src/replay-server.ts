// A real node:http server on a free port that replays recorded responses in their wire format.
// Streams are paced by the test through a Gate (no sleeps): each frame waits for a permit.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createH2cServer } from "node:http2";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface ReplayServer {
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Handler for the following requests. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export interface ReplayServerOptions {
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
  /** Serve cleartext HTTP/2 (prior knowledge, as the AWS SDK's NodeHttp2Handler speaks to an http:// endpoint). */
  http2?: boolean;
}

export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const { tls } = options;
  let handler: Handler = (_req, res) => {
    res.writeHead(404).end();
  };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      Promise.resolve(handler(req, res, body)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  };
  // Node's HTTP/2 compatibility API gives handlers the same request/response interface.
  const server: Server =
    options.http2 === true
      ? (createH2cServer(listener as never) as unknown as Server)
      : tls === undefined
        ? createServer(listener)
        : createTlsServer(tls, listener);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    port,
    requests,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function jsonHandler(body: Buffer | string, status = 200, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
    res.end(body);
  };
}

/** Hands out permits to send frames; the test releases them. */
export class Gate {
  #permits = 0;
  #waiters: Array<() => void> = [];
  #open = false;

  release(count = 1): void {
    this.#permits += count;
    this.#drain();
  }

  /** Let everything through from now on. */
  open(): void {
    this.#open = true;
    this.#drain();
  }

  wait(): Promise<void> {
    if (this.#open) return Promise.resolve();
    if (this.#permits > 0) {
      this.#permits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #drain(): void {
    while (this.#waiters.length > 0 && (this.#open || this.#permits > 0)) {
      if (!this.#open) this.#permits--;
      this.#waiters.shift()!();
    }
  }
}

export interface SseOptions {
  gate?: Gate;
  /** After this many frames, destroy the connection instead of continuing (a reset mid-stream). */
  resetAfter?: number;
  /** Resolved when the server has written the last frame and ended the response. */
  onEnd?: () => void;
  /** Response headers instead of the SSE ones (Bedrock's binary event stream). */
  headers?: Record<string, string>;
}

export function sseHandler(frames: Buffer[], options: SseOptions = {}): Handler {
  return async (_req, res) => {
    res.writeHead(200, options.headers ?? { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    for (let i = 0; i < frames.length; i++) {
      if (options.resetAfter !== undefined && i === options.resetAfter) {
        res.socket?.destroy();
        return;
      }
      if (options.gate !== undefined) await options.gate.wait();
      if (res.destroyed) return;
      const ok = res.write(frames[i]);
      if (!ok) {
        await new Promise<void>((resolve) => {
          res.once("drain", resolve);
          res.once("close", resolve);
        });
      }
    }
    res.end(() => options.onEnd?.());
  };
}
