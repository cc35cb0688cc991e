import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { Resource } from "@opentelemetry/resources";
import { TracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { propagatorFromEnv, samplerFromEnv, spanLimitsFromEnv } from "./sdk-env.js";

export interface Tracing {
  provider: TracerProvider;
  /** False when another provider was registered first (see joinExistingProvider). */
  registered: boolean;
  /** Removes the globals this registered (not those another SDK set up first). */
  unregister(): void;
}

/**
 * The trace half of what NodeSDK.start() sets up, from the packages it composes: the
 * AsyncLocalStorage context manager, the propagators of OTEL_PROPAGATORS, and a tracer provider
 * with the sampler and span limits of the environment over these span processors.
 */
export function startTracing(resource: Resource, spanProcessors: SpanProcessor[]): Tracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownContext = context.setGlobalContextManager(contextManager);
  if (!ownContext) contextManager.disable();
  const propagator = propagatorFromEnv();
  const ownPropagator = propagator !== null && propagation.setGlobalPropagator(propagator);
  const provider = new TracerProvider({ resource, sampler: samplerFromEnv(), spanLimits: spanLimitsFromEnv(), spanProcessors });
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
