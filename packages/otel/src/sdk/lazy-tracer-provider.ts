// The global tracer provider start() registers, made real by the first span: libraries ask for
// their tracers as they load, but the SDK's TracerProvider (and the packages under it: core,
// sdk-trace, resources) is only built when one of those tracers starts a span. An app that makes
// no span never loads them.
import type { Context, Span, SpanOptions, Tracer, TracerOptions, TracerProvider } from "@opentelemetry/api";

/** What the lazy provider stands in for: the SDK's TracerProvider. */
export interface RealTracerProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export class LazyTracerProvider implements TracerProvider {
  private real?: RealTracerProvider;

  constructor(private readonly build: () => RealTracerProvider) {}

  /** The SDK's provider, built on the first call. */
  materialize(): RealTracerProvider {
    return (this.real ??= this.build());
  }

  get built(): boolean {
    return this.real !== undefined;
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    return new LazyTracer(() => this.materialize().getTracer(name, version, options));
  }

  forceFlush(): Promise<void> {
    return this.real?.forceFlush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.real?.shutdown() ?? Promise.resolve();
  }
}

class LazyTracer implements Tracer {
  private real?: Tracer;

  constructor(private readonly build: () => Tracer) {}

  private get tracer(): Tracer {
    return (this.real ??= this.build());
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return this.tracer.startSpan(name, options, context);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan(...args: unknown[]): unknown {
    return (this.tracer.startActiveSpan as (...a: unknown[]) => unknown)(...args);
  }
}
