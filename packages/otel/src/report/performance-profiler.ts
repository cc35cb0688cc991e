import { ProxyTracerProvider, trace, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span as SdkSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { Span } from "@jotty/engine";
import { buildReport } from "@jotty/engine/engine";
import { flushCpuHotspots } from "../cpu-profile/index.js";
import { priceRates } from "../llm/pricing.js";
import { addSpanProcessor } from "../sdk/processor-registry.js";
import { start } from "../wiring/start.js";
import { renderProfilerReport } from "./render-profiler-report.js";
import { buildSegmentTree } from "./segment-tree.js";
import type { ProfilerReport } from "./profiler-report.js";
import { INSTRUMENTATION_SCOPE } from "../segments/tracer.js";
import { toNeutralSpan } from "./to-neutral-span.js";

export type { ProfilerReport, SegmentStats } from "./profiler-report.js";

export interface PerformanceProfilerOptions {
  /** Spans kept for the report; later ones are counted and reported as dropped. Default 100 000. */
  maxSpans?: number;
  /**
   * When no OpenTelemetry SDK is registered yet, start @jotty/otel's (start() with a discarding
   * exporter and no metric readers) so the profiler works on its own. Default true.
   */
  startSdk?: boolean;
}

const DISCARD: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

function sdkRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(INSTRUMENTATION_SCOPE) !== undefined;
}

/**
 * Collects the spans that end in this process (from the moment it is created until stop()) and
 * reports where the time went, computed by the same engine as `pnpm analyze`.
 */
export class PerformanceProfiler implements Disposable {
  private readonly maxSpans: number;
  private finished: ReadableSpan[] = [];
  private dropped = 0;
  private detach: (() => void) | undefined;

  constructor(options: PerformanceProfilerOptions = {}) {
    this.maxSpans = options.maxSpans ?? 100_000;
    if ((options.startSdk ?? true) && !sdkRegistered()) start({ traceExporter: DISCARD, metricReaders: [] });
    const processor: SpanProcessor = {
      onStart: (_span: SdkSpan, _parent: Context) => {},
      onEnd: (span: ReadableSpan) => {
        if (this.finished.length < this.maxSpans) this.finished.push(span);
        else this.dropped++;
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    this.detach = addSpanProcessor(processor);
  }

  /** The collected spans in the analyzer's neutral model. */
  spans(): Span[] {
    return this.finished.map(toNeutralSpan);
  }

  getReport(options: { top?: number } = {}): ProfilerReport {
    // Segments that ended moments ago get their CPU slice (a jotty.cpu_profile event) now.
    flushCpuHotspots();
    const spans = this.spans();
    const report = buildReport(spans, {
      source: { kind: "in-process", location: "PerformanceProfiler" },
      top: options.top,
      prices: priceRates,
    });
    if (this.dropped > 0) {
      report.warnings.push(`${this.dropped} spans not kept (maxSpans ${this.maxSpans}); the report covers the first ones`);
    }
    return {
      wallMs: report.wallMs,
      spans: spans.length,
      droppedSpans: this.dropped,
      tree: buildSegmentTree(spans),
      segments: report.operations.map((op) => ({
        name: op.name,
        count: op.count,
        totalMs: op.totalMs,
        selfMs: op.selfMs,
        meanMs: op.count > 0 ? op.totalMs / op.count : 0,
        p50Ms: op.p50Ms,
        p95Ms: op.p95Ms,
        maxMs: op.maxMs,
        selfShare: op.selfShare,
        criticalShare: op.criticalShare,
        errors: op.errors,
      })),
      bottlenecks: report.bottlenecks,
      llm: report.llm,
      recommendations: report.recommendations,
      ...(report.cpuHotspots ? { cpuHotspots: report.cpuHotspots } : {}),
      report,
    };
  }

  /** Prints the report as text (to stdout unless `write` is given) and returns the text. */
  printReport(options: { top?: number; write?: (text: string) => void } = {}): string {
    const text = renderProfilerReport(this.getReport({ top: options.top }), { top: options.top });
    (options.write ?? ((t: string) => process.stdout.write(t)))(text);
    return text;
  }

  /** Forgets the spans collected so far. */
  reset(): void {
    this.finished = [];
    this.dropped = 0;
  }

  /** Stops collecting (the collected spans stay available). */
  stop(): void {
    this.detach?.();
    this.detach = undefined;
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}
