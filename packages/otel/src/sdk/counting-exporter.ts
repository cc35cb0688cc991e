import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { exportStatsRecord } from "./export-stats.js";
import { settleEndedSpans } from "./processor-registry.js";
import { otelCore } from "./sdk-packages.js";

export type LineWriter = (line: string) => void;

const writeStderr: LineWriter = (line) => {
  process.stderr.write(line + "\n");
};

export interface CountingExporterHooks {
  /** Called when a batch is handed to the wrapped exporter. */
  onExport?(spans: ReadableSpan[]): void;
  /** How many of these spans still count (the rest were already accounted for at exit). */
  countable?(spans: ReadableSpan[]): number;
  /** Called once the wrapped exporter has settled these spans (delivered or dropped). */
  onSettled?(spans: ReadableSpan[]): void;
}

/**
 * Wraps the OTLP exporter: counts delivered and dropped spans, prints one line when export starts
 * failing (naming the endpoint) and one when it recovers, instead of an error per batch.
 */
export class CountingExporter implements SpanExporter {
  private failing = false;
  hooks: CountingExporterHooks = {};

  constructor(
    private readonly inner: SpanExporter,
    readonly endpoint: string,
    private readonly writeLine: LineWriter = writeStderr,
  ) {}

  /** True between a failed export and the next successful one. */
  get isFailing(): boolean {
    return this.failing;
  }

  /** Records that the endpoint cannot be reached without trying an export (used at exit). */
  markUnreachable(reason: string): void {
    if (this.failing) return;
    this.failing = true;
    this.warn(reason);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const stats = exportStatsRecord();
    let settled = false;
    const settle = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      const count = this.hooks.countable?.(spans) ?? spans.length;
      if (result.code === otelCore().ExportResultCode.SUCCESS) {
        stats.exportedSpans += count;
        if (this.failing) {
          this.failing = false;
          this.writeLine(`@jotty/otel: span export to ${this.endpoint} recovered (${stats.droppedSpans} spans dropped so far)`);
        }
      } else {
        stats.failedExports++;
        stats.droppedSpans += count;
        if (!this.failing) {
          this.failing = true;
          this.warn(describeError(result.error));
        }
      }
      this.hooks.onSettled?.(spans);
      resultCallback(result);
    };
    settleEndedSpans();
    this.hooks.onExport?.(spans);
    try {
      this.inner.export(spans, settle);
    } catch (error) {
      settle({ code: otelCore().ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  private warn(reason: string): void {
    this.writeLine(
      `@jotty/otel: cannot export spans to ${this.endpoint}${reason ? ` (${reason})` : ""}; ` +
        `spans are being dropped until it is reachable (JOTTY_TRACES_FILE keeps a local copy)`,
    );
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

// The OTLP exporter's own words when its requests in flight are at their limit (OTLP concurrency).
const CONCURRENCY_LIMIT = "Concurrent export limit reached";

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "";
  if (error.message === CONCURRENCY_LIMIT) return "no answer yet to the exports already sent, which are being retried";
  // Network errors arrive wrapped; the root cause (e.g. ECONNREFUSED) is the useful part.
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
  const message = error.message || String(code ?? "");
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}
