import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { Resource } from "@opentelemetry/resources";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { LazyPropagator } from "./lazy-propagator.js";
import { LazyTracerProvider } from "./lazy-tracer-provider.js";
import { sdkTrace } from "./sdk-packages.js";
import { propagatorFromEnv, propagatorNames, samplerFromEnv, spanLimitsFromEnv } from "./sdk-env.js";

export interface Tracing {
  provider: LazyTracerProvider;
  /** False when another provider was registered first (see joinExistingProvider). */
  registered: boolean;
  /** Removes the globals this registered (not those another SDK set up first). */
  unregister(): void;
}

/** What the tracer provider is made of once the first span needs it. */
export interface TracingParts {
  resource(): Resource;
  spanProcessors(): SpanProcessor[];
}

/**
 * The trace half of what NodeSDK.start() sets up, from the packages it composes: the
 * AsyncLocalStorage context manager, the propagators of OTEL_PROPAGATORS, and a tracer provider
 * with the sampler and span limits of the environment over these span processors. The provider
 * and the propagators are registered now and built at their first use.
 */
export function startTracing(parts: TracingParts): Tracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownContext = context.setGlobalContextManager(contextManager);
  if (!ownContext) contextManager.disable();
  const ownPropagator = !propagatorNames().includes("none") && propagation.setGlobalPropagator(new LazyPropagator(propagatorFromEnv));
  const provider = new LazyTracerProvider(
    () =>
      new (sdkTrace().TracerProvider)({
        resource: parts.resource(),
        sampler: samplerFromEnv(),
        spanLimits: spanLimitsFromEnv(),
        spanProcessors: parts.spanProcessors(),
      }),
  );
  const registered = trace.setGlobalTracerProvider(provider);
  return {
    provider,
    registered,
    unregister() {
      if (registered) trace.disable();
      if (ownPropagator) propagation.disable();
      if (ownContext) context.disable();
    },
  };
}
