import { TraceFlags, type Context } from "@opentelemetry/api";
import type { BatchSpanProcessor, ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { CountingExporter } from "./counting-exporter.js";
import { DetachedExporter } from "./detached-exporter.js";
import { exportStatsRecord } from "./export-stats.js";
import type { OtlpHttpTarget } from "./otlp-endpoint.js";
import { serializeSpans } from "./otlp-serializers.js";
import { positiveEnv } from "./positive-env.js";
import { sdkTrace } from "./sdk-packages.js";
import { postSync } from "./sync-post.js";

// Below this a child process cannot even start and send (Node starts in ~50 ms).
const MIN_SYNC_POST_MS = 100;

/**
 * A BatchSpanProcessor (OTEL_BSP_* honoured as the SDK reads them) that also knows which ended
 * spans have not been delivered yet, so the exit hook can send them synchronously, and counts the
 * spans a full queue drops. The queue stays bounded by OTEL_BSP_MAX_QUEUE_SIZE (default 2048).
 */
export class OtlpBatchProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private readonly detached: DetachedExporter<ReadableSpan[]> | undefined;
  private readonly maxQueueSize: number;
  private readonly queued = new Set<ReadableSpan>();
  private readonly inFlight = new Set<ReadableSpan>();
  /** Set by flushSync: every span is accounted for, late export results no longer count. */
  private closed = false;
  /** Sampled spans ever ended here (lets the exit hooks see whether anything new arrived). */
  endedTotal = 0;

  constructor(
    readonly exporter: CountingExporter,
    /** Set when the exporter is our own OTLP/HTTP one, so a synchronous POST can stand in for it. */
    readonly target?: OtlpHttpTarget,
  ) {
    this.maxQueueSize = positiveEnv("OTEL_BSP_MAX_QUEUE_SIZE") ?? 2048;
    // Only our OTLP exporter is detached: its in-flight exports are bounded by its concurrency limit.
    this.detached = target ? new DetachedExporter(exporter) : undefined;
    this.batch = new (sdkTrace().BatchSpanProcessor)({
      exporter: this.detached ?? exporter,
      maxQueueSize: this.maxQueueSize,
      scheduledDelayMillis: positiveEnv("OTEL_BSP_SCHEDULE_DELAY"),
      exportTimeoutMillis: positiveEnv("OTEL_BSP_EXPORT_TIMEOUT"),
      maxExportBatchSize: positiveEnv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"),
    });
    exporter.hooks = {
      onExport: (spans) => {
        if (this.closed) return;
        for (const s of spans) {
          this.queued.delete(s);
          this.inFlight.add(s);
        }
      },
      countable: (spans) => (this.closed ? 0 : spans.filter((s) => this.inFlight.has(s) || this.queued.has(s)).length),
      onSettled: (spans) => {
        for (const s of spans) this.inFlight.delete(s);
      },
    };
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.endedTotal++;
    // Our own count decides (the batch processor only sees spans we accept), so every span is
    // either counted as dropped here or followed to its export result.
    if (this.queued.size >= this.maxQueueSize) {
      exportStatsRecord().droppedSpans++;
      return;
    }
    this.queued.add(span);
    this.batch.onEnd(span);
  }

  /** Hands every queued span to the exporter and waits until the exports in flight have settled. */
  async forceFlush(): Promise<void> {
    await this.batch.forceFlush();
    await this.detached?.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }

  /** Ended spans not yet delivered (queued, or in a request that has not answered). */
  get undeliveredCount(): number {
    return this.queued.size + this.inFlight.size;
  }

  /**
   * For the process "exit" hook, where nothing asynchronous runs: POSTs the undelivered spans
   * from a child process, bounded by timeoutMs. Skipped (spans counted as dropped) when the
   * endpoint is known to be failing or the exporter is not our OTLP/HTTP one.
   */
  flushSync(timeoutMs: number): void {
    const spans = [...this.queued, ...this.inFlight];
    this.closed = true;
    this.queued.clear();
    this.inFlight.clear();
    if (spans.length === 0) return;
    const stats = exportStatsRecord();
    let failure = "";
    if (!this.target) failure = "the process is exiting and the exporter cannot send synchronously";
    else if (this.exporter.isFailing) failure = "the endpoint was failing";
    else if (timeoutMs < MIN_SYNC_POST_MS) failure = "no time was left to send them";
    else {
      const body = serializeSpans(this.target.protocol, spans);
      if (body === undefined) failure = "they could not be serialized";
      else if (!postSync(this.target.url, this.target.headers, body, timeoutMs)) failure = "the last send at exit failed";
    }
    if (failure === "") {
      stats.exportedSpans += spans.length;
      return;
    }
    // Every drop is counted as a failed export and said once on stderr, whichever path got here
    // (process.exit() with the collector down, a collector that resets every connection).
    stats.droppedSpans += spans.length;
    stats.failedExports++;
    this.exporter.markUnreachable(`${failure}; ${spans.length} spans dropped at exit`);
  }
}
