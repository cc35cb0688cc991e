// Jaeger and Prometheus over real local HTTP servers: redirects stay within the origin, URL
// credentials become Basic auth and are never printed, auth headers reach the server, and a
// page of traces is streamed, never held whole.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Span } from "@jotty/engine";
import { SourceError } from "../../src/sources/errors.js";
import { readJaeger } from "../../src/sources/jaeger.js";
import { readPrometheusReport } from "../../src/sources/prometheus.js";
import { WarningLog } from "../../src/sources/warnings.js";
import { otlpTraces } from "./fake-jaeger.js";

const start = new Date("2026-11-25T20:00:00.000Z");
const end = new Date("2026-11-25T21:00:00.000Z");
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
const page = otlpTraces([{ traceId: "0af7651916cd43dd8448eb211c80319c", service: "agent", startNs: BigInt(start.getTime() + 1000) * 1_000_000n, spans: 3 }]);

async function readSpans(url: string, headers?: Record<string, string>) {
  const spans: Span[] = [];
  const result = await readJaeger({ url, start, end, service: "agent", headers }, (s) => spans.push(s), new WarningLog());
  return { spans, result };
}

describe("redirects", () => {
  it("a redirect to another origin is not followed, and the line says where it pointed", async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { services: ["stolen"] }));
    const jaeger = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/api/v3/services` }).end());
    const error = await readJaeger({ url: jaeger.url, start, end }, () => {}, new WarningLog()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe(
      `Jaeger at ${jaeger.url} redirected /api/v3/services to another origin (${elsewhere.url}); not followed, so no credential leaves ${jaeger.url}: pass that address as the Jaeger URL if you trust it`,
    );
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("a redirect within the origin is followed, with the auth header", async () => {
    const jaeger = await serve((req, res) => {
      if (req.url!.startsWith("/api/")) res.writeHead(307, { location: `/jaeger${req.url}` }).end();
      else json(res, 200, page);
    });
    const { spans } = await readSpans(jaeger.url, { authorization: "Bearer t0ken" });
    expect(spans).toHaveLength(3);
    expect(jaeger.requests.map((r) => [r.url!.split("?")[0], r.headers.authorization])).toEqual([
      ["/api/v3/traces", "Bearer t0ken"],
      ["/jaeger/api/v3/traces", "Bearer t0ken"],
    ]);
  });
});

describe("credentials", () => {
  it("user:password in the URL is sent as Basic auth and never appears in an error line", async () => {
    const jaeger = await serve((_req, res) => json(res, 500, { error: { httpCode: 500, message: "boom" } }));
    const withPassword = jaeger.url.replace("http://", "http://reader:hunter2@");
    const error = await readJaeger({ url: withPassword, start, end }, () => {}, new WarningLog()).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Jaeger at ${jaeger.url} answered /api/v3/services with HTTP 500: boom`);
    expect(jaeger.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from("reader:hunter2").toString("base64")}`);
  });

  it("Prometheus: the auth header reaches every query and the report names the URL without credentials", async () => {
    const prometheus = await serve((_req, res) => json(res, 200, { status: "success", data: { resultType: "vector", result: [] } }));
    const report = await readPrometheusReport({ url: prometheus.url.replace("http://", "http://u:pw@"), start, end, headers: { "x-scope-orgid": "team-a" } });
    expect(report.source.location).toBe(prometheus.url);
    expect(prometheus.requests.length).toBeGreaterThan(10);
    expect(
      prometheus.requests.every(
        (r) => r.headers["x-scope-orgid"] === "team-a" && r.headers.authorization === `Basic ${Buffer.from("u:pw").toString("base64")}`,
      ),
    ).toBe(true);
  });
});

describe("a page of traces", () => {
  it("is streamed: a trace's spans reach the sink while the rest of the page is still arriving", async () => {
    const two = otlpTraces([
      { traceId: "0af7651916cd43dd8448eb211c80319c", service: "agent", startNs: BigInt(start.getTime() + 2000) * 1_000_000n, spans: 3 },
      { traceId: "1af7651916cd43dd8448eb211c80319c", service: "agent", startNs: BigInt(start.getTime() + 1000) * 1_000_000n, spans: 3 },
    ]);
    const text = JSON.stringify(two);
    // After the first trace's entry and two spans of the second (a trace is read as one value).
    const cut = text.indexOf('"traceId":"1af7651916cd43dd8448eb211c80319c","spanId":"0000000000000003"');
    let firstSpan!: () => void;
    const sinkGotASpan = new Promise<void>((resolve) => (firstSpan = resolve));
    const jaeger = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(text.slice(0, cut));
      // The rest is sent only once a span was read: a reader that waits for the whole body never gets it.
      void sinkGotASpan.then(() => res.end(text.slice(cut)));
    });
    const spans: Span[] = [];
    await readJaeger(
      { url: jaeger.url, start, end, service: "agent" },
      (s) => {
        spans.push(s);
        firstSpan();
      },
      new WarningLog(),
    );
    expect(spans).toHaveLength(6);
  });

  it("a trace larger than 4 MiB is read span by span, so its first spans too reach the sink before the page ends", async () => {
    const big = otlpTraces([
      { traceId: "0af7651916cd43dd8448eb211c80319c", service: "agent", startNs: BigInt(start.getTime() + 1000) * 1_000_000n, spans: 30_000 },
    ]);
    const text = JSON.stringify(big);
    expect(text.length).toBeGreaterThan(4 << 20);
    const cut = text.length - 1000;
    let firstSpan!: () => void;
    const sinkGotASpan = new Promise<void>((resolve) => (firstSpan = resolve));
    const jaeger = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(text.slice(0, cut));
      void sinkGotASpan.then(() => res.end(text.slice(cut)));
    });
    let spans = 0;
    await readJaeger(
      { url: jaeger.url, start, end, service: "agent" },
      () => {
        spans++;
        firstSpan();
      },
      new WarningLog(),
    );
    expect(spans).toBe(30_000);
  });

  it("that breaks off says so (not 'unreachable; start the stack')", async () => {
    const jaeger = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify(page).slice(0, 300), () => res.destroy());
    });
    const error = await readSpans(jaeger.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^Jaeger at http:\/\/127\.0\.0\.1:\d+: the answer to \/api\/v3\/traces broke off after 300 bytes \(/);
  });

  it("that is not JSON is one line naming the query", async () => {
    const jaeger = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"result": {"resourceSpans": [}'));
    const error = await readSpans(jaeger.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^Jaeger at http:\/\/127\.0\.0\.1:\d+ answered \/api\/v3\/traces with invalid JSON \(/);
  });
});
