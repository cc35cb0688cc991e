// The global propagator start() registers, built from OTEL_PROPAGATORS by its first use (the
// first outgoing request that carries trace context), so the propagators' package (core) is not
// loaded at start-up.
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from "@opentelemetry/api";

const NONE: TextMapPropagator = {
  inject() {},
  extract: (context) => context,
  fields: () => [],
};

export class LazyPropagator implements TextMapPropagator {
  private real?: TextMapPropagator;

  /** `build` returns null when no named propagator is usable: nothing is then propagated. */
  constructor(private readonly build: () => TextMapPropagator | null) {}

  private get propagator(): TextMapPropagator {
    return (this.real ??= this.build() ?? NONE);
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.propagator.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.propagator.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.propagator.fields();
  }
}
