// Test harness shared by the segments/ and llm/ tests: the real OpenTelemetry SDK with an
// in-memory span exporter, AsyncLocalStorage context, H1's fan-out processor (so
// PerformanceProfiler can attach at run time) and a pull metric reader.
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { TracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { FanOutSpanProcessor } from "../src/sdk/processor-registry.js";

// SDK 3's SimpleSpanProcessor exports asynchronously; this keeps ended spans synchronously so
// a test can assert right after the code under test returns.
class CollectingSpanProcessor implements SpanProcessor {
  finished: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.finished.push(span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

class PullMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface Harness {
  spans(): ReadableSpan[];
  span(name: string): ReadableSpan;
  collectMetrics(): Promise<ResourceMetrics>;
  reset(): void;
}

let harness: Harness | undefined;

/** Installs the SDK globally once per test file (vitest runs each file in its own process). */
export function installHarness(): Harness {
  if (harness) return harness;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const collector = new CollectingSpanProcessor();
  const provider = new TracerProvider({ spanProcessors: [new FanOutSpanProcessor(), collector] });
  trace.setGlobalTracerProvider(provider);
  const reader = new PullMetricReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  harness = {
    spans: () => collector.finished,
    span(name) {
      const found = collector.finished.filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}`);
      return found[0]!;
    },
    async collectMetrics() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      return resourceMetrics;
    },
    reset: () => {
      collector.finished = [];
    },
  };
  return harness;
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
