// The real OpenTelemetry SDK with an in-memory exporter and the undici HTTP instrumentation,
// as @jotty/otel/register sets them up (undici spans keep credentials out via redactUrlHook, one trace context per request).
import { context, trace, type Attributes, type Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { httpInstrumentationConfig } from "../../../src/wiring/http-instrumentation.js";

export interface Tracing {
  exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  llmSpans(): ReadableSpan[];
  httpSpans(): ReadableSpan[];
  reset(): void;
  /** Resolves once `count` llm_call spans have ended since the last reset (spans end after the app's read). */
  llmSpansEnded(count?: number): Promise<ReadableSpan[]>;
  shutdown(): Promise<void>;
}

/** Wakes the tests waiting for llm_call spans as soon as one ends. */
class EndListener implements SpanProcessor {
  listeners = new Set<() => void>();
  onStart(_span: Span, _parent: Context): void {}
  onEnd(): void {
    for (const listener of [...this.listeners]) listener();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function setUpTracing(): Tracing {
  const exporter = new InMemorySpanExporter();
  const ends = new EndListener();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), ends] });
  const llmSpans = () => exporter.getFinishedSpans().filter((s) => s.name === "llm_call");
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  const undici = new UndiciInstrumentation(httpInstrumentationConfig());
  undici.setTracerProvider(provider);
  undici.enable();
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    llmSpans,
    httpSpans: () => exporter.getFinishedSpans().filter((s) => s.name === "POST" || s.name === "GET"),
    reset: () => exporter.reset(),
    llmSpansEnded: (count = 1) =>
      new Promise((resolve) => {
        const check = () => {
          const done = llmSpans();
          if (done.length >= count) {
            ends.listeners.delete(check);
            resolve(done);
          }
        };
        ends.listeners.add(check);
        check();
      }),
    shutdown: async () => {
      undici.disable();
      await provider.shutdown();
      context.disable();
      trace.disable();
    },
  };
}

/** The one llm_call span of the last request, with its undici HTTP child. */
export async function onlyLlmCall(tracing: Tracing): Promise<{ llm: ReadableSpan; http: ReadableSpan | undefined; attributes: Attributes }> {
  await tracing.llmSpansEnded(1);
  // Spans of other requests end in their own time; give this turn's undici span its turn too.
  const llm = tracing.llmSpans();
  if (llm.length !== 1) throw new Error(`expected one llm_call span, got ${llm.length}`);
  const span = llm[0]!;
  const http = tracing.httpSpans().find((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);
  return { llm: span, http, attributes: span.attributes };
}
