// The Jaeger /api/v3 source against a real local HTTP server.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { Span } from "@jotty/engine";
import { SourceError } from "../../src/sources/errors.js";
import { readJaeger, rfc3339Nano } from "../../src/sources/jaeger.js";
import { WarningLog } from "../../src/sources/warnings.js";
import { jaegerHandler, legacyJaegerHandler, notFound, spreadTraces, startFakeJaeger, type FakeJaeger, type FakeTrace } from "./fake-jaeger.js";
import { fixtures } from "./helpers.js";

const start = new Date("2026-11-25T20:00:00.000Z");
const end = new Date("2026-11-25T21:00:00.000Z");
let server: FakeJaeger | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function read(url: string, extra: { service?: string; pageSize?: number } = {}) {
  const spans: Span[] = [];
  const warnings = new WarningLog();
  const result = await readJaeger({ url, start, end, ...extra }, (s) => spans.push(s), warnings);
  return { spans, result, warnings: warnings.lines() };
}

describe("Jaeger /api/v3 source", () => {
  it("formats window bounds as RFC 3339 with nanoseconds", () => {
    expect(rfc3339Nano(1_764_100_800_123_456_789n)).toBe("2025-11-25T20:00:00.123456789Z");
    expect(rfc3339Nano(0n)).toBe("1970-01-01T00:00:00.000000000Z");
  });

  it("replays the recorded GetServices and FindTraces answers", async () => {
    const services = readFileSync(`${fixtures}jaeger/apiv3-GetServices.json`, "utf8");
    const traces = readFileSync(`${fixtures}jaeger/apiv3-FindTraces.json`, "utf8");
    server = await startFakeJaeger((url, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(url.pathname === "/api/v3/services" ? services : traces);
      return true;
    });
    // The recorded span has no times (proto3 omits zeros): it is skipped with a warning (see jaeger-fixtures.test.ts).
    const { spans, result, warnings } = await read(server.url);
    expect(result).toMatchObject({ services: ["foo"], traces: 0, spans: 0, queries: 1 });
    expect(spans).toEqual([]);
    expect(warnings).toEqual(["span without a start or end time skipped (Jaeger query foo 2026-11-25T20:00:00.000000000Z..2026-11-25T21:00:00.000000000Z)"]);
    const query = server.requests[1]!.searchParams;
    expect(Object.fromEntries(query)).toEqual({
      "query.service_name": "foo",
      "query.start_time_min": "2026-11-25T20:00:00.000000000Z",
      "query.start_time_max": "2026-11-25T21:00:00.000000000Z",
      "query.num_traces": "2000",
      "query.raw_traces": "true",
    });
  });

  it("splits a window whose query came back full, until every trace is read exactly once", async () => {
    const traces = [...spreadTraces("agent", 37, start.getTime(), end.getTime()), ...spreadTraces("tool-runner", 5, start.getTime(), end.getTime(), 2)];
    server = await startFakeJaeger(jaegerHandler(traces));
    const { spans, result, warnings } = await read(server.url, { pageSize: 8 });
    expect(warnings).toEqual([]);
    expect(result.traces).toBe(42);
    expect(result.spans).toBe(37 * 3 + 5 * 2);
    expect(new Set(spans.map((s) => `${s.traceId}/${s.spanId}`)).size).toBe(spans.length);
    expect(result.queries).toBeGreaterThan(5);
    for (const url of server.requests.filter((u) => u.pathname === "/api/v3/traces")) {
      expect(url.searchParams.get("query.num_traces")).toBe("8");
    }
  });

  it("says each trace is done once, after its last span and before any later page's spans, so the report can analyse it early", async () => {
    const traces = [...spreadTraces("agent", 37, start.getTime(), end.getTime()), ...spreadTraces("tool-runner", 5, start.getTime(), end.getTime(), 2)];
    server = await startFakeJaeger(jaegerHandler(traces));
    const events: string[] = [];
    const done = new Set<string>();
    let lateSpans = 0;
    await readJaeger(
      {
        url: server.url,
        start,
        end,
        pageSize: 8,
        traceDone: (traceId) => {
          expect(done.has(traceId)).toBe(false);
          done.add(traceId);
          events.push(`done ${traceId}`);
        },
      },
      (span) => {
        if (done.has(span.traceId)) lateSpans++;
        events.push(`span ${span.traceId}`);
      },
      new WarningLog(),
    );
    expect(lateSpans).toBe(0);
    expect(done).toEqual(new Set(traces.map((t) => t.traceId)));
    // Not all at the end: traces are handed over page by page while later pages are read.
    const firstDone = events.findIndex((e) => e.startsWith("done "));
    const lastSpan = events.findLastIndex((e) => e.startsWith("span "));
    expect(firstDone).toBeGreaterThan(0);
    expect(firstDone).toBeLessThan(lastSpan);
  });

  /** Every trace id in every /api/v3/traces answer, counted (what Jaeger had to load and send). */
  async function tracesSent(traces: FakeTrace[], order: "newest" | "written", pageSize: number) {
    const handler = jaegerHandler(traces, undefined, order);
    const sent = new Map<string, number>();
    server = await startFakeJaeger((url, res) => {
      if (url.pathname === "/api/v3/traces") {
        const end = res.end.bind(res);
        res.end = ((body: string) => {
          for (const m of String(body).matchAll(/"traceId":"([0-9a-f]{32})","spanId":"0000000000000001"/g)) sent.set(m[1]!, (sent.get(m[1]!) ?? 0) + 1);
          return end(body);
        }) as typeof res.end;
      }
      return handler(url, res);
    });
    const read_ = await read(server.url, { pageSize });
    return { ...read_, sent };
  }

  it("newest-first pages (Badger): every trace read once and sent by Jaeger about once, windows in parallel", async () => {
    // Dense at the end of the hour, as a load test leaves it: 2,000 traces in its last 20 s.
    const traces = spreadTraces("agent", 2000, end.getTime() - 20_000, end.getTime());
    const { spans, result, warnings, sent } = await tracesSent(traces, "newest", 100);
    expect(warnings).toEqual([]);
    expect(result).toMatchObject({ traces: 2000, spans: 6000, api: "v3" });
    expect(new Set(spans.map((s) => `${s.traceId}/${s.spanId}`)).size).toBe(6000);
    const copies = [...sent.values()].reduce((a, b) => a + b, 0);
    // Only traces at a page's cut are sent twice; halving the window sent most of them 2–3 times.
    expect(copies).toBeLessThan(2000 * 1.1);
    expect(server!.maxInFlight).toBeGreaterThan(1);
  });

  it("pages in written order (the memory store): every trace read exactly once all the same", async () => {
    const traces = spreadTraces("agent", 300, start.getTime(), end.getTime()).reverse();
    const { spans, result, warnings } = await tracesSent(traces, "written", 16);
    expect(warnings).toEqual([]);
    expect(result).toMatchObject({ traces: 300, spans: 900 });
    expect(new Set(spans.map((s) => `${s.traceId}/${s.spanId}`)).size).toBe(900);
  });

  it("a Jaeger without /api/v3 is read through the UI's /api/services and /api/traces, to the same spans", async () => {
    const traces = [...spreadTraces("agent", 40, start.getTime(), end.getTime()), ...spreadTraces("tool-runner", 7, start.getTime(), end.getTime(), 2)];
    server = await startFakeJaeger(legacyJaegerHandler(traces));
    const legacy = await read(server.url, { pageSize: 8 });
    const paths = new Set(server.requests.map((u) => u.pathname));
    await server.close();
    server = await startFakeJaeger(jaegerHandler(traces));
    const v3 = await read(server.url, { pageSize: 8 });
    expect(paths).toEqual(new Set(["/api/v3/services", "/api/services", "/api/traces"]));
    expect(legacy.result).toMatchObject({ api: "legacy", traces: 47, spans: 40 * 3 + 7 * 2 });
    expect(legacy.warnings).toEqual([]);
    const key = (s: Span) => `${s.traceId}/${s.spanId}`;
    const comparable = (s: Span) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      startNs: s.startNs,
      endNs: s.endNs,
      service: s.resource["service.name"],
    });
    const sorted = (spans: Span[]) => [...spans].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map(comparable);
    expect(sorted(legacy.spans)).toEqual(sorted(v3.spans));
  });

  it("--service on a Jaeger without /api/v3: the first search's 404 switches to /api/traces", async () => {
    const traces = spreadTraces("agent", 5, start.getTime(), end.getTime());
    server = await startFakeJaeger(legacyJaegerHandler(traces));
    const { result } = await read(server.url, { service: "agent" });
    expect(result).toMatchObject({ api: "legacy", traces: 5, spans: 15 });
    expect(server.requests.map((u) => u.pathname)).toEqual(["/api/v3/traces", "/api/traces"]);
  });

  it("reads 404 'No traces found' as an empty window and --service skips /services", async () => {
    server = await startFakeJaeger((_url, res) => {
      notFound(res);
      return true;
    });
    const { spans, result } = await read(server.url, { service: "agent" });
    expect(spans).toEqual([]);
    expect(result).toMatchObject({ services: ["agent"], traces: 0, queries: 1 });
    expect(server.requests.map((u) => u.pathname)).toEqual(["/api/v3/traces"]);
  });

  const failures: [string, (res: import("node:http").ServerResponse) => void, RegExp][] = [
    [
      "HTTP 500 with the gateway's error body",
      (res) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(JSON.stringify({ error: { httpCode: 500, message: "storage unavailable" } }));
      },
      /^Jaeger at http:\/\/127\.0\.0\.1:\d+ answered \/api\/v3\/services with HTTP 500: storage unavailable$/,
    ],
    [
      "an HTML page",
      (res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<!doctype html><html><body>Jaeger UI</body></html>");
      },
      /^Jaeger at http:\/\/127\.0\.0\.1:\d+ answered \/api\/v3\/services with HTML \(HTTP 200\), not JSON; is the URL the Jaeger API's address\?$/,
    ],
    [
      "a 404 that is not 'No traces found', on /api/v3/traces and on the UI's /api/traces",
      (res) => {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("404 page not found");
      },
      /^Jaeger at http:\/\/127\.0\.0\.1:\d+ has no \/api\/traces \(HTTP 404\); is the URL Jaeger's query address\?$/,
    ],
    [
      "truncated JSON",
      (res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"services": ["a"');
      },
      /^Jaeger at http:\/\/127\.0\.0\.1:\d+ answered \/api\/v3\/services with a body that is not JSON: \{"services": \["a"$/,
    ],
  ];
  for (const [name, respond, message] of failures) {
    it(`fails with one clear line on ${name}`, async () => {
      server = await startFakeJaeger((url, res) => {
        if (name.includes("404") && url.pathname === "/api/v3/services") return false;
        respond(res);
        return true;
      });
      const error = await read(server.url, name.includes("404") ? { service: "agent" } : {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    });
  }

  it("fails with one clear line when nothing listens", async () => {
    const closed = await startFakeJaeger(() => false);
    await closed.close();
    const error = await read(closed.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^Jaeger at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED 127\.0\.0\.1:\d+\); start the stack/);
  });
});
