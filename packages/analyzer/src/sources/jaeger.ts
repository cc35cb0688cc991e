// Jaeger v2 through its stable /api/v3 HTTP API. A query that returns as many traces as it asked
// for may have been cut at the limit, so its window is halved and queried again until every
// part comes back below the limit: the report never silently misses traces.
import { DocumentStream, JsonSyntaxError } from "./document-stream.js";
import { SourceError } from "./errors.js";
import { getJson, streamJson } from "./http-json.js";
import type { SpanSink } from "./otlp-json.js";
import { TraceDocumentVisitor } from "./trace-document.js";
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
}

export interface JaegerResult {
  services: string[];
  traces: number;
  spans: number;
  queries: number;
}

export const DEFAULT_PAGE_SIZE = 500;
const MIN_WINDOW_NS = 1000n; // below 1 µs a window is not split further
export const JAEGER_HINT = "start the stack (`pnpm stack up` or `docker compose up -d`) or pass --jaeger URL";

interface Window {
  service: string;
  minNs: bigint;
  maxNs: bigint;
}

export function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

export async function jaegerServices(
  url: string,
  options: { signal?: AbortSignal; timeoutMs?: number; headers?: Readonly<Record<string, string>> } = {},
): Promise<string[]> {
  const { body } = await getJson(new URL("/api/v3/services", url), { system: "Jaeger", unreachableHint: JAEGER_HINT, ...options });
  const services = (body as { services?: unknown })?.services;
  if (services === undefined || services === null) return [];
  if (!Array.isArray(services)) throw new SourceError(`Jaeger at ${new URL(url).origin} answered /api/v3/services without a services list`);
  return services.filter((s): s is string => typeof s === "string");
}

export async function readJaeger(options: JaegerOptions, sink: SpanSink, warnings: WarningLog): Promise<JaegerResult> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const abort = new AbortController();
  const services = options.service !== undefined ? [options.service] : await jaegerServices(options.url, { signal: abort.signal, headers: options.headers });
  // Jaeger answers whole traces, so a trace can come back from several windows and services: the
  // first page that sends a span of a trace owns it, and other pages' copies are skipped.
  const traceOwners = new Map<string, Window>();
  const result: JaegerResult = { services, traces: 0, spans: 0, queries: 0 };
  const startNs = BigInt(options.start.getTime()) * 1_000_000n;
  const endNs = BigInt(options.end.getTime()) * 1_000_000n;
  const queue: Window[] = services.map((service) => ({ service, minNs: startNs, maxNs: endNs }));

  const fetchWindow = async (window: Window): Promise<void> => {
    const url = new URL("/api/v3/traces", options.url);
    url.searchParams.set("query.service_name", window.service);
    url.searchParams.set("query.start_time_min", rfc3339Nano(window.minNs));
    url.searchParams.set("query.start_time_max", rfc3339Nano(window.maxNs));
    url.searchParams.set("query.num_traces", String(pageSize));
    const where = () => `Jaeger query ${window.service} ${rfc3339Nano(window.minNs)}..${rfc3339Nano(window.maxNs)}`;
    const pageTraces = new Set<string>();
    const visitor = new TraceDocumentVisitor(
      (span) => {
        pageTraces.add(span.traceId);
        const owner = traceOwners.get(span.traceId);
        if (owner === undefined) {
          traceOwners.set(span.traceId, window);
          result.traces++;
        } else if (owner !== window) return;
        result.spans++;
        sink(span);
      },
      warnings,
      where,
    );
    const document = new DocumentStream(visitor);
    let response;
    try {
      response = await streamJson(url, { system: "Jaeger", unreachableHint: JAEGER_HINT, acceptStatus: [404], signal: abort.signal, headers: options.headers }, (chunk) =>
        document.push(chunk),
      );
      if ("streamed" in response) document.end();
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      throw new SourceError(`Jaeger at ${url.origin} answered /api/v3/traces with invalid JSON (${error.message})`);
    }
    result.queries++;
    if (!("streamed" in response)) {
      if (isNoTracesFound(response.body)) return;
      throw new SourceError(`Jaeger at ${url.origin} has no /api/v3/traces (HTTP 404); the analyzer needs Jaeger v2`);
    }
    if (visitor.format !== "jaeger-api-v3") {
      throw new SourceError(`Jaeger at ${url.origin} answered /api/v3/traces without result.resourceSpans`);
    }
    if (pageTraces.size >= pageSize) {
      if (window.maxNs - window.minNs <= MIN_WINDOW_NS) {
        warnings.add(
          `more than ${pageSize} traces of ${window.service} started within 1 µs; some may be missing (raise --page-size)`,
          rfc3339Nano(window.minNs),
        );
        return;
      }
      const mid = (window.minNs + window.maxNs) / 2n;
      queue.push({ ...window, maxNs: mid }, { ...window, minNs: mid });
    }
  };

  await runPool(queue, options.concurrency ?? 4, fetchWindow, abort, () =>
    options.progress?.(`jaeger: ${result.traces} traces, ${result.spans} spans, ${result.queries} queries`),
  );
  return result;
}

function isNoTracesFound(body: unknown): boolean {
  const message = (body as { error?: { message?: unknown } })?.error?.message;
  return typeof message === "string" && /no traces found/i.test(message);
}

/** Runs tasks (which may push more onto `queue`) with at most `limit` in flight; the first failure aborts the rest. */
async function runPool<T>(
  queue: T[],
  limit: number,
  run: (item: T) => Promise<void>,
  abort: AbortController,
  onProgress: () => void,
): Promise<void> {
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (abort.signal.aborted) return;
      while (active < limit && queue.length > 0) {
        const item = queue.shift()!;
        active++;
        run(item).then(
          () => {
            active--;
            onProgress();
            pump();
          },
          (error: unknown) => {
            abort.abort(error);
            reject(error);
          },
        );
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    pump();
  });
}
