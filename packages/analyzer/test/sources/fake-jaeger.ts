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

/** Serves `traces` like Jaeger: FindTraces matches by start time and returns at most num_traces. */
export function jaegerHandler(traces: FakeTrace[], services = [...new Set(traces.map((t) => t.service))]): Handler {
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
      .sort((a, b) => (a.startNs < b.startNs ? 1 : -1))
      .slice(0, limit);
    if (found.length === 0) notFound(res);
    else send(res, 200, otlpTraces(found));
    return true;
  };
}

export async function startFakeJaeger(handler: Handler): Promise<FakeJaeger> {
  const requests: URL[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(url);
    if (!handler(url, res)) send(res, 404, "404 page not found\n", "text/plain");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
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
