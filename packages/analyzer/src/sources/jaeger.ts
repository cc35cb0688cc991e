// Jaeger v2 through its gRPC QueryService (api_v3, OTLP protobuf; when its address is known), its
// stable /api/v3 HTTP API (OTLP JSON), or the Jaeger UI's /api/traces for a Jaeger without v3. A query that returns as many traces as it asked for may have been cut at
// the limit, so what is left of its window is queried again (jaeger-windows.ts, search-plan.ts)
// until every part comes back below the limit: the report never silently misses traces. Windows
// run in parallel (bounded), and each page's spans reach the sink while the page arrives.
import { DocumentStream, JsonSyntaxError } from "./document-stream.js";
import { SourceError } from "./errors.js";
import { getJson, streamJson } from "./http-json.js";
import type { Span } from "@jotty/engine";
import type { JaegerGrpc } from "./jaeger-grpc.js";
import type { Window } from "./jaeger-windows.js";
import type { SpanSink } from "./otlp-json.js";
import { runPool } from "./run-pool.js";
import { SearchPlan } from "./search-plan.js";
import { TraceDocumentVisitor, type DocumentFormat } from "./trace-document.js";
import type { WarningLog } from "./warnings.js";

export interface JaegerOptions {
  url: string;
  service?: string;
  start: Date;
  end: Date;
  /** query.num_traces of each request. */
  pageSize?: number;
  concurrency?: number;
  /** Request headers, e.g. auth for a secured Jaeger (--header, JAEGER_HEADERS); never printed. */
  headers?: Readonly<Record<string, string>>;
  /** Called with a one-line status while fetching (the CLI shows it on a terminal only). */
  progress?: (line: string) => void;
  /**
   * Jaeger's gRPC query address (host:port, or an http(s):// URL for TLS); false: HTTP only.
   * Default: the HTTP URL's host at port 16685 when the URL has Jaeger's default port 16686.
   * A gRPC address that does not answer falls back to HTTP.
   */
  grpc?: string | false;
  /**
   * Called when every span of a trace has reached the sink: Jaeger answers whole traces, so at the
   * end of the page that sent it (other pages' copies are skipped). The report builder analyses it
   * then (flushTrace) instead of holding its spans until the end, while Jaeger works on the next pages.
   */
  traceDone?: (traceId: string) => void;
}

export interface JaegerResult {
  services: string[];
  traces: number;
  spans: number;
  /** Spans Jaeger sent, counting the copies of a trace that several windows returned. */
  spansSent: number;
  queries: number;
  /** Which API answered: gRPC api_v3 (OTLP protobuf), /api/v3 (OTLP JSON) or the Jaeger UI's /api/traces (Jaeger without v3). */
  api: "grpc" | "v3" | "legacy";
}

// Jaeger spends most of a search on work per query (index scan, encoding), so pages are large;
// --page-size lowers it for very large traces (Jaeger holds a whole page in memory).
export const DEFAULT_PAGE_SIZE = 2000;
/** Windows queried at once: Jaeger answers one search per core; more only queue up there. */
export const DEFAULT_CONCURRENCY = 4;
export const JAEGER_HINT = "start the stack (`pnpm stack up` or `docker compose up -d`) or pass --jaeger URL";

export function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

type Api = "grpc" | "v3" | "legacy";

/** The gRPC address to try first: the one given, or Jaeger's default pair 16686 → 16685. */
export function grpcAddressOf(options: Pick<JaegerOptions, "url" | "grpc">): string | undefined {
  if (options.grpc === false) return undefined;
  if (options.grpc !== undefined) return options.grpc;
  const url = new URL(options.url);
  return url.protocol === "http:" && url.port === "16686" ? `${url.hostname}:16685` : undefined;
}
type HeaderOptions = { signal?: AbortSignal; timeoutMs?: number; headers?: Readonly<Record<string, string>> };

/** A 404 from a path Jaeger does not serve (Go's mux answers "404 page not found"). */
class NoSuchApi extends Error {}

export async function jaegerServices(url: string, options: HeaderOptions = {}): Promise<string[]> {
  return (await servicesOf(url, options)).services;
}

/** The services, from /api/v3/services or, on a Jaeger without v3, the UI's /api/services. */
async function servicesOf(url: string, options: HeaderOptions): Promise<{ services: string[]; api: Api }> {
  const ask = (path: string) => getJson(new URL(path, url), { system: "Jaeger", unreachableHint: JAEGER_HINT, acceptStatus: [404], ...options });
  let api: Api = "v3";
  let answer = await ask("/api/v3/services");
  if (answer.status === 404) {
    api = "legacy";
    answer = await ask("/api/services");
    if (answer.status === 404)
      throw new SourceError(`Jaeger at ${new URL(url).origin} has neither /api/v3/services nor /api/services (HTTP 404); is the URL Jaeger's query address?`);
  }
  const body = answer.body as { services?: unknown; data?: unknown } | undefined;
  const services = api === "v3" ? body?.services : body?.data;
  if (services === undefined || services === null) return { services: [], api };
  if (!Array.isArray(services))
    throw new SourceError(`Jaeger at ${new URL(url).origin} answered ${api === "v3" ? "/api/v3/services" : "/api/services"} without a services list`);
  return { services: services.filter((s): s is string => typeof s === "string"), api };
}

/** The search URL of a window: /api/v3/traces (times RFC 3339, ns) or the UI's /api/traces (µs). */
function searchUrl(base: string, api: Api, window: Window, pageSize: number): URL {
  if (api === "legacy") {
    const url = new URL("/api/traces", base);
    url.searchParams.set("service", window.service);
    url.searchParams.set("start", String(window.minNs / 1000n));
    url.searchParams.set("end", String((window.maxNs + 999n) / 1000n));
    url.searchParams.set("limit", String(pageSize));
    return url;
  }
  const url = new URL("/api/v3/traces", base);
  url.searchParams.set("query.service_name", window.service);
  url.searchParams.set("query.start_time_min", rfc3339Nano(window.minNs));
  url.searchParams.set("query.start_time_max", rfc3339Nano(window.maxNs));
  url.searchParams.set("query.num_traces", String(pageSize));
  // As stored, as the gRPC path and a traces file have them: Jaeger's adjusters (clock skew,
  // span dedupe) cost it CPU and would make the figures depend on the API.
  url.searchParams.set("query.raw_traces", "true");
  return url;
}

const FORMAT: Record<Exclude<Api, "grpc">, DocumentFormat> = { v3: "jaeger-api-v3", legacy: "jaeger-ui-json" };

const GRPC_PROBE_TIMEOUT_MS = 5000;

/** A gRPC connection that answers GetServices, or undefined (then HTTP is used). */
async function connectGrpc(address: string, options: JaegerOptions, signal: AbortSignal): Promise<{ grpc: JaegerGrpc; services: string[] } | undefined> {
  const { JaegerGrpc } = await import("./jaeger-grpc.js");
  let grpc: JaegerGrpc | undefined;
  try {
    grpc = await JaegerGrpc.connect(address, options.url, options.headers);
    // A server that takes the connection but never answers must not hold the report up either.
    return { grpc, services: await grpc.services(AbortSignal.any([signal, AbortSignal.timeout(GRPC_PROBE_TIMEOUT_MS)])) };
  } catch {
    // No gRPC there (refused, not HTTP/2, not Jaeger's api_v3): the HTTP API says what is wrong, if anything.
    grpc?.close();
    return undefined;
  }
}

export async function readJaeger(options: JaegerOptions, sink: SpanSink, warnings: WarningLog): Promise<JaegerResult> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const abort = new AbortController();
  const request = { signal: abort.signal, headers: options.headers };
  let api: Api = "v3";
  let services: string[];
  const grpcAddress = grpcAddressOf(options);
  const connected = grpcAddress === undefined ? undefined : await connectGrpc(grpcAddress, options, abort.signal);
  const grpc = connected?.grpc;
  if (connected !== undefined) {
    api = "grpc";
    services = options.service !== undefined ? [options.service] : connected.services;
  } else if (options.service !== undefined) services = [options.service];
  else ({ services, api } = await servicesOf(options.url, request));
  // Jaeger answers whole traces, so a trace can come back from several windows and services: the
  // first page that sends a span of a trace owns it, and other pages' copies are skipped.
  const traceOwners = new Map<string, Window>();
  const result: JaegerResult = { services, traces: 0, spans: 0, spansSent: 0, queries: 0, api };
  const startNs = BigInt(options.start.getTime()) * 1_000_000n;
  const endNs = BigInt(options.end.getTime()) * 1_000_000n;
  const plan = new SearchPlan(services, startNs, endNs, pageSize);

  const fetchWindow = async (window: Window): Promise<void> => {
    const where = () => `Jaeger query ${window.service} ${rfc3339Nano(window.minNs)}..${rfc3339Nano(window.maxNs)}`;
    // Per trace of this page, in page order: the latest start of its spans of this service in the
    // window. startNs is a double (±256 ns at today's times): the window's edges are widened by
    // 1 µs, so a latest start is never under-estimated (see nextWindows' margin).
    const latestStarts = new Map<string, number>();
    const owned: string[] = [];
    const lowNs = Number(window.minNs) - 1000;
    const highNs = Number(window.maxNs) + 1000;
    const accept = (span: Span) => {
      result.spansSent++;
      const matches = span.startNs >= lowNs && span.startNs <= highNs && span.resource["service.name"] === window.service;
      const latest = latestStarts.get(span.traceId);
      if (latest === undefined) latestStarts.set(span.traceId, matches ? span.startNs : NaN);
      else if (matches && !(latest >= span.startNs)) latestStarts.set(span.traceId, span.startNs);
      const owner = traceOwners.get(span.traceId);
      if (owner === undefined) {
        traceOwners.set(span.traceId, window);
        owned.push(span.traceId);
        result.traces++;
      } else if (owner !== window) return;
      result.spans++;
      sink(span);
    };
    const pageDone = () => {
      if (options.traceDone !== undefined) for (const traceId of owned) options.traceDone(traceId);
      const starts = [...latestStarts.values()].map((ns) => (Number.isNaN(ns) ? undefined : BigInt(Math.round(ns))));
      if (plan.done(window, { latestStarts: starts }) === "tooDense") {
        warnings.add(
          `more than ${pageSize} traces of ${window.service} started within 1 µs; some may be missing (raise --page-size)`,
          rfc3339Nano(window.minNs),
        );
      }
    };
    if (grpc !== undefined) {
      await grpc.readWindow(window, pageSize, accept, warnings, where, abort.signal);
      result.queries++;
      pageDone();
      return;
    }
    const url = searchUrl(options.url, api, window, pageSize);
    const visitor = new TraceDocumentVisitor(accept, warnings, where);
    let response: Awaited<ReturnType<typeof fetchPage>>;
    try {
      response = await fetchPage(url, options.headers, abort.signal, visitor);
    } catch (error) {
      if (error instanceof NoSuchApi && api === "v3") {
        // --service skipped the services call that would have found a Jaeger without v3.
        api = "legacy";
        result.api = api;
        return fetchWindow(window);
      }
      if (error instanceof NoSuchApi) {
        throw new SourceError(`Jaeger at ${url.origin} has no ${url.pathname} (HTTP 404); is the URL Jaeger's query address?`);
      }
      throw error;
    }
    result.queries++;
    if (response === "empty" || (api === "legacy" && latestStarts.size === 0)) {
      if (options.traceDone !== undefined) for (const traceId of owned) options.traceDone(traceId);
      plan.done(window, { latestStarts: [] });
      return;
    }
    if (visitor.format !== FORMAT[api as Exclude<Api, "grpc">]) {
      throw new SourceError(`Jaeger at ${url.origin} answered ${url.pathname} without ${api === "v3" ? "result.resourceSpans" : "a data list of traces"}`);
    }
    pageDone();
  };

  try {
    await runPool(
      () => plan.next(),
      options.concurrency ?? DEFAULT_CONCURRENCY,
      fetchWindow,
      abort,
      () => options.progress?.(`jaeger: ${result.traces} traces, ${result.spans} spans, ${result.queries} queries`),
    );
  } finally {
    grpc?.close();
  }
  return result;
}

/** Streams one search answer into `visitor`; "empty" for Jaeger's 404 "No traces found". */
async function fetchPage(url: URL, headers: JaegerOptions["headers"], signal: AbortSignal, visitor: TraceDocumentVisitor): Promise<"streamed" | "empty"> {
  const document = new DocumentStream(visitor);
  let response: Awaited<ReturnType<typeof streamJson>>;
  try {
    response = await streamJson(url, { system: "Jaeger", unreachableHint: JAEGER_HINT, acceptStatus: [404], signal, headers }, (chunk) => document.push(chunk));
    if ("streamed" in response) document.end();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new SourceError(`Jaeger at ${url.origin} answered ${url.pathname} with invalid JSON (${error.message})`);
  }
  if ("streamed" in response) return "streamed";
  if (isNoTracesFound(response.body)) return "empty";
  throw new NoSuchApi();
}

function isNoTracesFound(body: unknown): boolean {
  const message = (body as { error?: { message?: unknown } })?.error?.message;
  return typeof message === "string" && /no traces found/i.test(message);
}
