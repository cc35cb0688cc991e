import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { convertLegacyHttpOptions } from "@opentelemetry/otlp-exporter-base/node-http";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BackgroundHttpTransport } from "../../src/sdk/background-http-transport.js";
import { DetachedExporter } from "../../src/sdk/detached-exporter.js";

interface Received {
  headers: IncomingMessage["headers"];
  body: Buffer;
}

const BODY = new Uint8Array([10, 20, 30, 40, 50]);

describe("BackgroundHttpTransport", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  });

  /** A receiver whose n-th request (from 0) is answered by answer(n, res); every request is recorded. */
  async function receiver(
    answer: (n: number, res: ServerResponse) => void,
  ): Promise<{ url: string; received: Received[]; server: Server; firstRequest: Promise<unknown> }> {
    const received: Received[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        server.emit("received");
        answer(received.length - 1, res);
      });
    });
    const firstRequest = once(server, "received");
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, received, server, firstRequest };
  }

  const transportFor = (url: string, compression?: CompressionAlgorithm) =>
    new BackgroundHttpTransport(convertLegacyHttpOptions({ url, compression }, "TRACES", "v1/traces", { "Content-Type": "application/x-protobuf" }));

  it("POSTs the body with the content type and user agent; 2xx is success", async () => {
    const r = await receiver((_n, res) => res.writeHead(200).end());
    const result = await transportFor(r.url).send(BODY, 5000);
    expect(result.status).toBe("success");
    expect(r.received).toHaveLength(1);
    expect([...r.received[0]!.body]).toEqual([...BODY]);
    expect(r.received[0]!.headers["content-type"]).toBe("application/x-protobuf");
    expect(r.received[0]!.headers["user-agent"]).toContain("OTel-OTLP-Exporter-JavaScript");
  });

  it("gzips the body when compression is gzip", async () => {
    const r = await receiver((_n, res) => res.writeHead(200).end());
    expect((await transportFor(r.url, CompressionAlgorithm.GZIP).send(BODY, 5000)).status).toBe("success");
    expect(r.received[0]!.headers["content-encoding"]).toBe("gzip");
    expect([...gunzipSync(r.received[0]!.body)]).toEqual([...BODY]);
  });

  it("retries a 503 after its Retry-After, then succeeds", async () => {
    const r = await receiver((n, res) => (n === 0 ? res.writeHead(503, { "retry-after": "0" }).end() : res.writeHead(200).end()));
    const result = await transportFor(r.url).send(BODY, 5000);
    expect(result.status).toBe("success");
    expect(r.received).toHaveLength(2);
  });

  it("does not retry a 400: failure with the status", async () => {
    const r = await receiver((_n, res) => res.writeHead(400).end("bad"));
    const result = await transportFor(r.url).send(BODY, 5000);
    expect(result.status).toBe("failure");
    expect(r.received).toHaveLength(1);
  });

  it("a refused connection is retryable; no retry is started past the export timeout", async () => {
    const r = await receiver(() => {});
    const url = r.url;
    await new Promise<void>((resolve) => r.server.close(() => resolve()));
    servers.splice(servers.indexOf(r.server), 1);
    // The first backoff (~1 s) does not fit in 300 ms: one attempt only.
    const result = await transportFor(url).send(BODY, 300);
    expect(result.status).toBe("retryable");
    expect(result.status === "retryable" && (result.error as NodeJS.ErrnoException | undefined)?.code).toBe("ECONNREFUSED");
  });

  it("stop() ends a retry wait at once", async () => {
    const r = await receiver((_n, res) => res.writeHead(503, { "retry-after": "60" }).end());
    const transport = transportFor(r.url);
    // The wait starts once the 503 has been read: its 60 s timer is the signal.
    const original = globalThis.setTimeout;
    let waitStarted!: () => void;
    const waiting = new Promise<void>((resolve) => (waitStarted = resolve));
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      if (ms === 60_000) waitStarted();
      return original(fn, ms);
    }) as typeof setTimeout);
    const sending = transport.send(BODY, 120_000);
    try {
      await waiting;
    } finally {
      spy.mockRestore();
    }
    transport.stop();
    expect((await sending).status).toBe("retryable");
    expect(r.received).toHaveLength(1);
    expect((await transport.send(BODY, 1000)).status).toBe("failure");
  });

  it("stop() ends a request the collector never answers", async () => {
    const r = await receiver(() => {});
    const transport = transportFor(r.url);
    const sending = transport.send(BODY, 120_000);
    await r.firstRequest;
    transport.stop();
    const result = await sending;
    expect(result.status).toBe("failure");
  });
});

describe("DetachedExporter", () => {
  it("answers the caller at once and lets forceFlush() wait for the real export", async () => {
    let finishInner: ((result: ExportResult) => void) | undefined;
    let innerFlushed = false;
    const detached = new DetachedExporter<string[]>({
      export: (_items, cb) => (finishInner = cb),
      forceFlush: async () => {
        innerFlushed = true;
      },
      shutdown: async () => {},
    });
    const answers: ExportResult[] = [];
    detached.export(["a"], (r) => answers.push(r));
    expect(answers).toEqual([{ code: ExportResultCode.SUCCESS }]);
    let flushed = false;
    const flushing = detached.forceFlush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false);
    finishInner!({ code: ExportResultCode.FAILED });
    await flushing;
    expect(innerFlushed).toBe(true);
  });

  it("an exporter that throws still settles", async () => {
    const detached = new DetachedExporter<string[]>({
      export: () => {
        throw new Error("boom");
      },
      shutdown: async () => {},
    });
    const answers: ExportResult[] = [];
    detached.export(["a"], (r) => answers.push(r));
    await detached.shutdown();
    expect(answers).toHaveLength(1);
  });
});
