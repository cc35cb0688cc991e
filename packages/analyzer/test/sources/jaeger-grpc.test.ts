// The Jaeger source over gRPC api_v3 (OTLP protobuf), against a real HTTP/2 server replaying
// what Jaeger v2.13 sent for otel_traces_01.json (fixtures/jaeger/SOURCES.tsv), and its fallback
// to the HTTP reader when no Jaeger gRPC answers.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Span } from "@jotty/engine";
import { grpcAddressOf, readJaeger, type JaegerOptions } from "../../src/sources/jaeger.js";
import { WarningLog } from "../../src/sources/warnings.js";
import { startFakeJaeger, type FakeJaeger } from "./fake-jaeger.js";
import { startGrpcReplay, type GrpcAnswer, type GrpcReplay } from "./grpc-replay.js";
import { fixtures } from "./helpers.js";

const recorded = (name: string) => readFileSync(`${fixtures}jaeger/${name}`);
const FIND = "/jaeger.api_v3.QueryService/FindTraces";
const SERVICES = "/jaeger.api_v3.QueryService/GetServices";
// The recorded query's window (otel_traces_01.json's spans start at 2017-01-26T21:46:31.639875Z).
const start = new Date("2017-01-26T21:46:00.000Z");
const end = new Date("2017-01-26T21:47:00.000Z");

let grpc: GrpcReplay | undefined;
let http: FakeJaeger | undefined;
afterEach(async () => {
  await grpc?.close();
  await http?.close();
  grpc = http = undefined;
});

/** An HTTP Jaeger answering /api/v3 with the recorded raw-traces body of the same query. */
async function recordedHttpJaeger(): Promise<FakeJaeger> {
  const body = recorded("apiv3-FindTraces-raw.json").toString("utf8");
  return startFakeJaeger((url, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(url.pathname === "/api/v3/services" ? JSON.stringify({ services: ["service-x"] }) : body);
    return true;
  });
}

async function read(options: Partial<JaegerOptions> & { url: string }) {
  const spans: Span[] = [];
  const warnings = new WarningLog();
  const result = await readJaeger({ start, end, service: "service-x", pageSize: 20, ...options }, (s) => spans.push(s), warnings);
  return { spans, result, warnings: warnings.lines() };
}

const recordedAnswers = (find: GrpcAnswer = {}): Record<string, GrpcAnswer> => ({
  [SERVICES]: { frames: recorded("apiv3-grpc-GetServices.frames") },
  [FIND]: { frames: recorded("apiv3-grpc-FindTraces.frames"), ...find },
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("Jaeger gRPC api_v3 source", () => {
  it("the recorded FindTraces stream reads to the same spans as Jaeger's /api/v3 JSON of the same query", async () => {
    grpc = await startGrpcReplay(recordedAnswers());
    http = await recordedHttpJaeger();
    const viaGrpc = await read({ url: http.url, grpc: grpc.address });
    expect(viaGrpc.result).toMatchObject({ api: "grpc", traces: 2, queries: 1 });
    expect(http.requests).toEqual([]);
    const viaHttp = await read({ url: http.url, grpc: false });
    expect(viaHttp.result).toMatchObject({ api: "v3", traces: 2, queries: 1 });
    expect(viaGrpc.spans.length).toBeGreaterThan(0);
    expect(viaGrpc.spans).toEqual(viaHttp.spans);
    expect(viaGrpc.warnings).toEqual(viaHttp.warnings);
    // Every kind the JSON reader handles came through the protobuf: strings, ints, bytes (base64), kinds, events.
    const first = viaGrpc.spans.find((s) => s.spanId === "0000000000000003")!;
    expect(first).toMatchObject({ traceId: "00000000000000020000000000000000", parentSpanId: "0000000000000010", kind: "CLIENT" });
    expect(first.attributes).toMatchObject({ "peer.service": "service-y", "peer.ipv4": 23456 });
    expect(typeof first.attributes.blob).toBe("string");
    expect(first.resource).toEqual({ "service.name": "service-x" });
  });

  it("sends one GetServices probe and one FindTraces per window; --service none lists the recorded services", async () => {
    grpc = await startGrpcReplay(recordedAnswers());
    http = await recordedHttpJaeger();
    const all = await read({ url: http.url, grpc: grpc.address, service: undefined });
    expect(all.result.services).toEqual(["jotty-limits", "service-x"]);
    expect(grpc.requests.map((r) => r.path)).toEqual([SERVICES, FIND, FIND]);
    // The request names the service it searches (the rest of its encoding Jaeger itself checks in deploy/test).
    expect(grpc.requests.slice(1).map((r) => r.body.subarray(5).toString("latin1").includes("service-x"))).toEqual([false, true]);
  });

  it("messages split over many small writes are put back together", async () => {
    grpc = await startGrpcReplay(recordedAnswers({ pieceBytes: 7 }));
    http = await recordedHttpJaeger();
    const pieces = await read({ url: http.url, grpc: grpc.address });
    const whole = await read({ url: http.url, grpc: false });
    expect(pieces.spans).toEqual(whole.spans);
  });

  it("falls back to HTTP when nothing listens at the gRPC address, when it is not HTTP/2, and when the method is unknown", async () => {
    http = await recordedHttpJaeger();
    const expected = (await read({ url: http.url, grpc: false })).spans;
    const refused = await read({ url: http.url, grpc: `127.0.0.1:${await closedPort()}` });
    expect(refused.result.api).toBe("v3");
    expect(refused.spans).toEqual(expected);
    const http1 = await read({ url: http.url, grpc: new URL(http.url).host });
    expect(http1.result.api).toBe("v3");
    expect(http1.spans).toEqual(expected);
    grpc = await startGrpcReplay({});
    const unknown = await read({ url: http.url, grpc: grpc.address });
    expect(unknown.result.api).toBe("v3");
    expect(grpc.requests.map((r) => r.path)).toEqual([SERVICES]);
  });

  it("a FindTraces error status fails with one line naming the code and Jaeger's message", async () => {
    grpc = await startGrpcReplay({ ...recordedAnswers(), [FIND]: { status: 13, message: "badger: read error 50%" } });
    http = await recordedHttpJaeger();
    await expect(read({ url: http.url, grpc: grpc.address })).rejects.toThrow(
      `Jaeger gRPC at http://${grpc.address}: FindTraces failed (code 13: badger: read error 50%)`,
    );
  });

  it("a cut-off message fails instead of reading part of a trace", async () => {
    const frames = recorded("apiv3-grpc-FindTraces.frames");
    grpc = await startGrpcReplay({ ...recordedAnswers(), [FIND]: { frames: frames.subarray(0, frames.length - 10) } });
    http = await recordedHttpJaeger();
    await expect(read({ url: http.url, grpc: grpc.address })).rejects.toThrow(/FindTraces failed \(code 13: gRPC stream closed inside a message/);
  });

  it("a gRPC address by default only where --jaeger has Jaeger's default port", () => {
    expect(grpcAddressOf({ url: "http://localhost:16686" })).toBe("localhost:16685");
    expect(grpcAddressOf({ url: "http://jaeger.internal:16686/" })).toBe("jaeger.internal:16685");
    expect(grpcAddressOf({ url: "https://jaeger.example.com" })).toBeUndefined();
    expect(grpcAddressOf({ url: "http://127.0.0.1:8080" })).toBeUndefined();
    expect(grpcAddressOf({ url: "http://localhost:16686", grpc: false })).toBeUndefined();
    expect(grpcAddressOf({ url: "http://localhost:16686", grpc: "jaeger:4444" })).toBe("jaeger:4444");
  });
});
