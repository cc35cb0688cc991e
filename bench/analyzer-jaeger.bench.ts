// Analyzer reading Jaeger /api/v3 pages: the load of scripts/measure-stack-limits.ts (traces of 5
// spans, one llm_call each; 100 traces share a start time, as one sender's batch does) served
// newest first by a local HTTP server the way Jaeger's Badger store answers, read with
// `readJaeger` into the report builder. Anchor, in the same run: JSON.parse of every page the
// reader was sent (the bytes it had to read). Prints spans/s, the ratio, and queries made.
// The same traces over gRPC api_v3 (FindTraces streaming one OTLP protobuf TracesData per trace,
// from a local HTTP/2 server), read the same way: its ratio to the JSON read of the same run.
// What the real Jaeger adds (its index scans and encoding) is measured by
// scripts/measure-stack-limits.ts on the native stack. BENCH_JAEGER_TRACES / BENCH_RUNS override.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createServer as createHttp2Server, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { readJaeger, WarningLog } from "@jotty/analyzer";
import { createReportBuilder } from "@jotty/analyzer/engine";
import { ProtoReader, ProtoWriter } from "../packages/analyzer/dist/sources/protobuf-wire.js";

const TRACES = Number(process.env.BENCH_JAEGER_TRACES ?? 40_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SPANS_PER_TRACE = 5;
const SERVICE = "jotty-limits";

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

interface StoredTrace {
  startNs: bigint;
  json: string; // one resourceSpans entry, as Jaeger writes one per trace
  proto: Buffer; // the same trace as one OTLP protobuf TracesData, as gRPC FindTraces sends it
}

type JsonSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
};

/** One trace's spans as TracesData {ResourceSpans {Resource, ScopeSpans {scope, spans}}}. */
function tracesData(spans: JsonSpan[]): Buffer {
  const keyValue = (key: string, value: Record<string, unknown>) => {
    const any = new ProtoWriter();
    if ("stringValue" in value) any.string(1, value.stringValue as string);
    else if ("intValue" in value) any.uint(3, BigInt(value.intValue as string));
    else any.double(4, value.doubleValue as number);
    return new ProtoWriter().string(1, key).message(2, any);
  };
  const scope = new ProtoWriter().message(1, new ProtoWriter().string(1, "bench"));
  for (const s of spans) {
    const span = new ProtoWriter().bytes(1, Buffer.from(s.traceId, "hex")).bytes(2, Buffer.from(s.spanId, "hex"));
    if (s.parentSpanId !== undefined) span.bytes(4, Buffer.from(s.parentSpanId, "hex"));
    span.string(5, s.name).uint(6, s.kind).fixed64(7, BigInt(s.startTimeUnixNano)).fixed64(8, BigInt(s.endTimeUnixNano));
    for (const a of s.attributes) span.message(9, keyValue(a.key, a.value));
    span.uint(16, 256).message(15, new ProtoWriter());
    scope.message(2, span);
  }
  const resource = new ProtoWriter().message(1, keyValue("service.name", { stringValue: SERVICE }));
  return new ProtoWriter().message(1, new ProtoWriter().message(1, resource).message(2, scope)).finish();
}

function traces(): StoredTrace[] {
  const out: StoredTrace[] = [];
  const base = BigInt(Date.UTC(2026, 11, 7, 21, 0, 0)) * 1_000_000n;
  for (let t = 0; t < TRACES; t++) {
    // 3,000 traces a second, 100 at a time, over the last seconds of the hour.
    const now = base + BigInt(Math.floor(t / 100)) * 33_000_000n;
    const traceId = randomBytes(16).toString("hex");
    const root = randomBytes(8).toString("hex");
    const spans = [];
    for (let s = 0; s < SPANS_PER_TRACE; s++) {
      const llm = s === 1;
      spans.push({
        traceId,
        spanId: s === 0 ? root : randomBytes(8).toString("hex"),
        ...(s === 0 ? {} : { parentSpanId: root }),
        flags: 256,
        name: s === 0 ? "agent_run" : llm ? "llm_call" : `step_${s}`,
        kind: llm ? 3 : 1,
        startTimeUnixNano: String(now + BigInt(s) * 1_000_000n),
        endTimeUnixNano: String(now + BigInt(s + 1) * 5_000_000n),
        attributes: llm
          ? [
              str("gen_ai.operation.name", "chat"),
              str("gen_ai.request.model", "gpt-4.1-mini"),
              str("gen_ai.provider.name", "openai"),
              int("gen_ai.usage.input_tokens", 1200),
              int("gen_ai.usage.output_tokens", 300),
              { key: "gen_ai.usage.cost", value: { doubleValue: 0.00096 } },
            ]
          : [str("jotty.step.name", `step_${s}`)],
        status: {},
      });
    }
    const json = JSON.stringify({ resource: { attributes: [str("service.name", SERVICE)] }, scopeSpans: [{ scope: { name: "bench" }, spans }] });
    out.push({ startNs: now + BigInt(SPANS_PER_TRACE - 1) * 1_000_000n, json, proto: tracesData(spans as JsonSpan[]) });
  }
  return out.sort((a, b) => (a.startNs < b.startNs ? 1 : a.startNs > b.startNs ? -1 : 0));
}

const toNs = (s: string) => BigInt(Date.parse(s.replace(/\.\d{9}Z$/, "Z"))) * 1_000_000n + BigInt(s.slice(20, 29));

/** Newest first, at most num_traces, one resourceSpans entry per trace: Jaeger's /api/v3 answer over Badger. */
function serve(stored: StoredTrace[], sent: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/api/v3/services") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ services: [SERVICE] }));
      return;
    }
    const lo = toNs(url.searchParams.get("query.start_time_min")!);
    const hi = toNs(url.searchParams.get("query.start_time_max")!);
    const limit = Number(url.searchParams.get("query.num_traces"));
    const page = search(stored, lo, hi, limit).map((t) => t.json);
    if (page.length === 0) {
      res.writeHead(404, { "content-type": "text/plain" }).end('{"error":{"httpCode":404,"message":"No traces found"}}\n');
      return;
    }
    const body = `{"result":{"resourceSpans":[${page.join(",")}]}}`;
    sent.push(body);
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The traces a search returns: newest first, at most `limit`, starting within [lo, hi]. */
function search(stored: StoredTrace[], lo: bigint, hi: bigint, limit: number): StoredTrace[] {
  const page: StoredTrace[] = [];
  // stored is newest first: the first trace at or below hi, by bisection.
  let from = 0;
  for (let to = stored.length; from < to; ) {
    const mid = (from + to) >> 1;
    if (stored[mid]!.startNs > hi) from = mid + 1;
    else to = mid;
  }
  for (let i = from; i < stored.length && page.length < limit && stored[i]!.startNs >= lo; i++) page.push(stored[i]!);
  return page;
}

/** Jaeger's gRPC QueryService over the same traces: GetServices and FindTraces (one TracesData message per trace). */
function serveGrpc(stored: StoredTrace[], sentBytes: number[]): Promise<Http2Server> {
  const server = createHttp2Server();
  server.on("stream", (stream, headers) => {
    const parts: Buffer[] = [];
    stream.on("data", (c: Buffer) => parts.push(c));
    stream.on("end", () => {
      const body = Buffer.concat(parts).subarray(5);
      const frames: Buffer[] = [];
      const frame = (message: Buffer) => {
        const head = Buffer.alloc(5);
        head.writeUInt32BE(message.length, 1);
        frames.push(head, message);
      };
      if (String(headers[":path"]).endsWith("/GetServices")) frame(new ProtoWriter().string(1, SERVICE).finish());
      else {
        // FindTracesRequest {query = 1 {service_name = 1, start_time_min = 4, start_time_max = 5, search_depth = 8}}
        const times: bigint[] = [];
        let limit = 0;
        const outer = new ProtoReader(body, 0, body.length);
        outer.uint32();
        const queryEnd = outer.lengthEnd();
        const query = new ProtoReader(body, outer.pos, queryEnd);
        while (query.more()) {
          const tag = query.uint32();
          if (tag >>> 3 === 4 || tag >>> 3 === 5) {
            const end = query.lengthEnd();
            const ts = new ProtoReader(body, query.pos, end);
            let seconds = 0n;
            let nanos = 0n;
            while (ts.more()) {
              const t = ts.uint32();
              if (t >>> 3 === 1) seconds = BigInt(ts.int64());
              else nanos = BigInt(ts.uint32());
            }
            times.push(seconds * 1_000_000_000n + nanos);
            query.pos = end;
          } else if (tag >>> 3 === 8) limit = query.uint32();
          else query.skip(tag & 7);
        }
        const page = search(stored, times[0]!, times[1]!, limit);
        for (const t of page) frame(t.proto);
      }
      const answer = Buffer.concat(frames);
      sentBytes.push(answer.length);
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(answer);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const stored = traces();
const sent: string[] = [];
const server = await serve(stored, sent);
const grpcBytes: number[] = [];
const grpcServer = await serveGrpc(stored, grpcBytes);
try {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const start = new Date(Date.UTC(2026, 11, 7, 20, 0, 0));
  const end = new Date(Date.UTC(2026, 11, 7, 22, 0, 0));
  const grpc = `127.0.0.1:${(grpcServer.address() as AddressInfo).port}`;
  const read: number[] = [];
  const parse: number[] = [];
  const readGrpc: number[] = [];
  let queries = 0;
  for (let run = 0; run < RUNS; run++) {
    sent.length = 0;
    globalThis.gc?.();
    const t0 = performance.now();
    const builder = createReportBuilder({ source: { kind: "jaeger", location: url } });
    const result = await readJaeger({ url, start, end, grpc: false }, (span) => builder.add(span), new WarningLog());
    const report = builder.finish();
    read.push(performance.now() - t0);
    if (report.spans !== TRACES * SPANS_PER_TRACE) throw new Error(`read ${report.spans} spans, expected ${TRACES * SPANS_PER_TRACE}`);
    queries = result.queries;
    globalThis.gc?.();
    const t1 = performance.now();
    for (const body of sent) JSON.parse(body);
    parse.push(performance.now() - t1);
    globalThis.gc?.();
    grpcBytes.length = 0;
    const t2 = performance.now();
    const grpcBuilder = createReportBuilder({ source: { kind: "jaeger", location: url } });
    const grpcResult = await readJaeger({ url, start, end, grpc }, (span) => grpcBuilder.add(span), new WarningLog());
    const grpcReport = grpcBuilder.finish();
    readGrpc.push(performance.now() - t2);
    if (grpcResult.api !== "grpc" || grpcReport.spans !== report.spans) throw new Error(`gRPC read ${grpcReport.spans} spans through ${grpcResult.api}`);
    if (JSON.stringify(grpcReport) !== JSON.stringify(report)) throw new Error("the gRPC read gave another report than the JSON read");
  }
  const spans = TRACES * SPANS_PER_TRACE;
  const mib = sent.reduce((n, b) => n + b.length, 0) / 2 ** 20;
  console.log(`${spans.toLocaleString("en")} spans (${TRACES.toLocaleString("en")} traces) in ${queries} queries, ${mib.toFixed(0)} MiB of pages`);
  console.log(`JSON.parse of every page   : median ${(median(parse) / 1000).toFixed(2)} s  (runs ${parse.map((m) => (m / 1000).toFixed(2)).join(", ")})`);
  console.log(
    `readJaeger + engine → report: median ${(median(read) / 1000).toFixed(2)} s  (runs ${read.map((m) => (m / 1000).toFixed(2)).join(", ")}), ${Math.round(spans / (median(read) / 1000)).toLocaleString("en")} spans/s`,
  );
  console.log(`ratio read / parse          : ${(median(read) / median(parse)).toFixed(2)} ×`);
  const grpcMib = grpcBytes.reduce((n, b) => n + b, 0) / 2 ** 20;
  console.log(
    `gRPC (protobuf, ${grpcMib.toFixed(0)} MiB) + engine: median ${(median(readGrpc) / 1000).toFixed(2)} s  (runs ${readGrpc.map((m) => (m / 1000).toFixed(2)).join(", ")}), ${Math.round(spans / (median(readGrpc) / 1000)).toLocaleString("en")} spans/s`,
  );
  console.log(`ratio gRPC read / JSON read : ${(median(readGrpc) / median(read)).toFixed(2)} ×`);
} finally {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => grpcServer.close(resolve));
}
