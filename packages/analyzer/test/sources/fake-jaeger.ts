// A real HTTP server speaking Jaeger v2's /api/v3 query API over an in-memory set of traces,
// with the gateway's exact error bodies; it records every request so tests can check them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTrace {
  traceId: string;
  service: string;
  startNs: bigint;
  spans: number;
}

export interface FakeJaeger {
  url: string;
  requests: URL[];
  /** The most requests that were being answered at the same time. */
  maxInFlight: number;
  close(): Promise<void>;
}

export type Handler = (url: URL, res: ServerResponse) => boolean;

const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

export function otlpTraces(traces: FakeTrace[]): unknown {
  return {
    result: {
      resourceSpans: traces.map((t) => ({
        resource: { attributes: [{ key: "service.name", value: { stringValue: t.service } }] },
        scopeSpans: [
          {
            scope: { name: "fake" },
            spans: Array.from({ length: t.spans }, (_, i) => ({
              traceId: t.traceId,
              spanId: (i + 1).toString(16).padStart(16, "0"),
              parentSpanId: i === 0 ? "" : "0000000000000001",
              name: i === 0 ? "root" : `child-${i}`,
              kind: 1,
              startTimeUnixNano: String(t.startNs + BigInt(i) * 1000n),
              endTimeUnixNano: String(t.startNs + 1_000_000n),
              status: {},
            })),
          },
        ],
      })),
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

export function notFound(res: ServerResponse): void {
  // What the gateway's returnTraces writes for an empty result (http.Error adds a newline).
  send(res, 404, `${JSON.stringify({ error: { httpCode: 404, message: "No traces found" } })}\n`, "text/plain; charset=utf-8");
}

/**
 * In which order a search picks its num_traces traces: "newest" as Badger (latest start first),
 * "written" as the memory store (the order traces were stored, here by trace id).
 */
export type SearchOrder = "newest" | "written";

/** Serves `traces` like Jaeger: FindTraces matches by start time and returns at most num_traces. */
export function jaegerHandler(traces: FakeTrace[], services = [...new Set(traces.map((t) => t.service))], order: SearchOrder = "newest"): Handler {
  return (url, res) => {
    if (url.pathname === "/api/v3/services") {
      send(res, 200, { services });
      return true;
    }
    if (url.pathname !== "/api/v3/traces") return false;
    const min = url.searchParams.get("query.start_time_min") ?? "";
    const max = url.searchParams.get("query.start_time_max") ?? "";
    const limit = Number(url.searchParams.get("query.num_traces"));
    if (!RFC3339_NANO.test(min) || !RFC3339_NANO.test(max) || !(limit > 0)) {
      send(res, 400, { error: { httpCode: 400, message: "malformed parameters" } });
      return true;
    }
    const toNs = (s: string) => BigInt(Date.parse(s.replace(/\.\d{9}Z$/, "Z"))) * 1_000_000n + BigInt(s.slice(20, 29));
    const lo = toNs(min);
    const hi = toNs(max);
    const service = url.searchParams.get("query.service_name");
    const found = traces
      .filter((t) => t.service === service && t.startNs >= lo && t.startNs <= hi)
      .sort(order === "newest" ? (a, b) => (a.startNs < b.startNs ? 1 : -1) : (a, b) => (a.traceId < b.traceId ? -1 : 1))
      .slice(0, limit);
    if (found.length === 0) notFound(res);
    else send(res, 200, otlpTraces(found));
    return true;
  };
}

export async function startFakeJaeger(handler: Handler): Promise<FakeJaeger> {
  const requests: URL[] = [];
  let inFlight = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(url);
    fake.maxInFlight = Math.max(fake.maxInFlight, ++inFlight);
    res.on("close", () => inFlight--);
    // Answered on the next turn, so requests the client sent together are in flight together.
    setImmediate(() => {
      if (!handler(url, res)) send(res, 404, "404 page not found\n", "text/plain");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeJaeger = {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return fake;
}

/** `count` traces of `service`, evenly spread over [startMs, endMs). */
export function spreadTraces(service: string, count: number, startMs: number, endMs: number, spans = 3): FakeTrace[] {
  return Array.from({ length: count }, (_, i) => ({
    traceId: `${service.length.toString(16).padStart(2, "0")}${i.toString(16).padStart(30, "0")}`,
    service,
    startNs: BigInt(Math.floor(startMs + ((endMs - startMs) * i) / count)) * 1_000_000n,
    spans,
  }));
}

/** The same traces as Jaeger UI's JSON ({data: [{traceID, spans, processes}]}, times in µs), the legacy /api/traces shape. */
export function uiTraces(traces: FakeTrace[]): unknown {
  return {
    data: traces.map((t) => ({
      traceID: t.traceId,
      spans: Array.from({ length: t.spans }, (_, i) => ({
        traceID: t.traceId,
        spanID: (i + 1).toString(16).padStart(16, "0"),
        operationName: i === 0 ? "root" : `child-${i}`,
        references: i === 0 ? [] : [{ refType: "CHILD_OF", traceID: t.traceId, spanID: "0000000000000001" }],
        startTime: Number((t.startNs + BigInt(i) * 1000n) / 1000n),
        duration: Number((1_000_000n - BigInt(i) * 1000n) / 1000n),
        tags: [{ key: "span.kind", type: "string", value: "internal" }],
        logs: [],
        processID: "p1",
        warnings: null,
      })),
      processes: { p1: { serviceName: t.service, tags: [] } },
      warnings: null,
    })),
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };
}

/** A Jaeger without /api/v3 (v1 before it had one): only the UI's /api/services and /api/traces (µs times, `limit`). */
export function legacyJaegerHandler(traces: FakeTrace[]): Handler {
  return (url, res) => {
    if (url.pathname === "/api/services") {
      const data = [...new Set(traces.map((t) => t.service))];
      send(res, 200, { data, total: data.length, limit: 0, offset: 0, errors: null });
      return true;
    }
    if (url.pathname !== "/api/traces") return false;
    const lo = BigInt(url.searchParams.get("start") ?? "0") * 1000n;
    const hi = BigInt(url.searchParams.get("end") ?? "0") * 1000n + 999n;
    const limit = Number(url.searchParams.get("limit") ?? "100");
    const found = traces
      .filter((t) => t.service === url.searchParams.get("service") && t.startNs >= lo && t.startNs <= hi)
      .sort((a, b) => (a.startNs < b.startNs ? 1 : -1))
      .slice(0, limit);
    send(res, 200, uiTraces(found));
    return true;
  };
}
