// Jaeger v2 through its stable /api/v3 HTTP API. A query that returns as many traces as it asked
// for may have been cut at the limit, so its window is halved and queried again until every
// part comes back below the limit: the report never silently misses traces.
import { SourceError } from "./errors.js";
import { getJson } from "./http-json.js";
import { readOtlpDocument, resourceSpansOf, ResourceCache, type SpanSink } from "./otlp-json.js";
import type { Span } from "../model.js";
import type { WarningLog } from "./warnings.js";

export interface JaegerOptions {
  url: string;
  service?: string;
  start: Date;
  end: Date;
  /** query.num_traces of each request. */
  pageSize?: number;
  concurrency?: number;
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

export async function jaegerServices(url: string, signal?: AbortSignal, timeoutMs?: number): Promise<string[]> {
  const { body } = await getJson(new URL("/api/v3/services", url), {
    system: "Jaeger",
    unreachableHint: JAEGER_HINT,
    signal,
    timeoutMs,
  });
  const services = (body as { services?: unknown })?.services;
  if (services === undefined || services === null) return [];
  if (!Array.isArray(services)) throw new SourceError(`Jaeger at ${new URL(url).origin} answered /api/v3/services without a services list`);
  return services.filter((s): s is string => typeof s === "string");
}

export async function readJaeger(options: JaegerOptions, sink: SpanSink, warnings: WarningLog): Promise<JaegerResult> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const abort = new AbortController();
  const services = options.service !== undefined ? [options.service] : await jaegerServices(options.url, abort.signal);
  const seenTraces = new Set<string>();
  const resources = new ResourceCache();
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
    const response = await getJson(url, {
      system: "Jaeger",
      unreachableHint: JAEGER_HINT,
      acceptStatus: [404],
      signal: abort.signal,
    });
    result.queries++;
    if (response.status === 404) {
      if (isNoTracesFound(response.body)) return;
      throw new SourceError(`Jaeger at ${url.origin} has no /api/v3/traces (HTTP 404); the analyzer needs Jaeger v2`);
    }
    const resourceSpans = resourceSpansOf(response.body);
    if (resourceSpans === undefined) {
      throw new SourceError(`Jaeger at ${url.origin} answered /api/v3/traces without result.resourceSpans`);
    }
    // Group by trace first: a trace already read through another service or window is skipped whole.
    const byTrace = new Map<string, Span[]>();
    const where = () => `Jaeger query ${window.service} ${rfc3339Nano(window.minNs)}..${rfc3339Nano(window.maxNs)}`;
    readOtlpDocument(resourceSpans, resources, (span) => {
      let spans = byTrace.get(span.traceId);
      if (spans === undefined) byTrace.set(span.traceId, (spans = []));
      spans.push(span);
    }, warnings, where);
    for (const [traceId, spans] of byTrace) {
      if (seenTraces.has(traceId)) continue;
      seenTraces.add(traceId);
      result.traces++;
      result.spans += spans.length;
      for (const span of spans) sink(span);
    }
    if (byTrace.size >= pageSize) {
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
