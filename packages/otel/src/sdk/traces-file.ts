import { TraceFlags } from "@opentelemetry/api";
import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace";
import { dirname, resolve } from "node:path";
import { appendPrivateFileSync, makePrivateDirs } from "../files/private-files.js";
import { exportStatsRecord } from "./export-stats.js";
import { settleEndedSpans } from "./processor-registry.js";
import { serializeSpans } from "./otlp-serializers.js";

const decoder = new TextDecoder();

/**
 * Appends every ended span to a file as OTLP JSON lines, the Collector file exporter's format:
 * one {"resourceSpans":[...]} object per line (hex ids, nanosecond strings).
 *
 * Spans are buffered briefly and written with appendFileSync, so flushSync() can run in the
 * process "exit" hook and in signal handlers: an ended span is never lost to a normal exit,
 * process.exit() or SIGINT/SIGTERM.
 *
 * The file is created 0600 and missing folders 0700 (prompts may be in it). A file that cannot
 * be written costs one line on stderr, never the app: each failed write counts in
 * getExportStats() (failedFileWrites, droppedFileSpans).
 */
export class TracesFileProcessor implements SpanProcessor {
  readonly path: string;
  private buffer: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private failed = false;
  /** Sampled spans ever ended here. */
  endedTotal = 0;

  constructor(
    path: string,
    private readonly flushDelayMs = 200,
    private readonly maxBuffered = 512,
  ) {
    this.path = resolve(path);
    // Now, so a path that cannot work is reported as the app starts.
    this.prepareFolder();
  }

  private folderReady = false;

  private prepareFolder(): void {
    if (this.folderReady) return;
    try {
      makePrivateDirs(dirname(this.path));
      this.folderReady = true;
    } catch (error) {
      this.reportOnce(error);
    }
  }

  private reportOnce(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    process.stderr.write(`@jotty/otel: cannot write JOTTY_TRACES_FILE ${this.path}: ${(error as Error).message}; spans are not written to the file\n`);
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.endedTotal++;
    this.buffer.push(span);
    if (this.buffer.length >= this.maxBuffered) this.flushSync();
    else this.timer ??= setTimeout(() => void this.flushSettled(), this.flushDelayMs).unref();
  }

  async forceFlush(): Promise<void> {
    await this.flushSettled();
  }

  async shutdown(): Promise<void> {
    await this.flushSettled();
  }

  /** Writes the buffered spans now; resource attributes still being detected are left out. */
  flushSync(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    settleEndedSpans();
    const spans = this.buffer;
    this.buffer = [];
    const body = serializeSpans("http/json", spans);
    if (!body) return;
    this.prepareFolder();
    try {
      appendPrivateFileSync(this.path, decoder.decode(body) + "\n");
    } catch (error) {
      const stats = exportStatsRecord();
      stats.failedFileWrites = (stats.failedFileWrites ?? 0) + 1;
      stats.droppedFileSpans = (stats.droppedFileSpans ?? 0) + spans.length;
      this.reportOnce(error);
    }
  }

  // Waits for async resource attributes (host id...) so normal writes carry the full resource.
  private async flushSettled(): Promise<void> {
    const pending = new Set(this.buffer.filter((s) => s.resource.asyncAttributesPending).map((s) => s.resource));
    if (pending.size > 0) await Promise.all([...pending].map((r) => r.waitForAsyncAttributes?.()));
    this.flushSync();
  }
}
