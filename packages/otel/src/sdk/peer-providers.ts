// Living beside another SDK set-up in the same process (OpenLLMetry's initialize(), a user's own
// NodeSDK or TracerProvider carrying Langfuse's span processor). The API keeps the first tracer
// provider registered and refuses the others, so whoever comes second would lose its spans:
// - a provider registered after ours gets every span ours makes, through its own span
//   processors (so its exporter still receives the spans of its instrumentations, which use the
//   global provider), attached to our fan-out processor;
// - a provider registered before ours gets our span processors added to its own, so the spans
//   it makes reach our pipeline too.
// Both reach into the provider's span processor, which the SDK keeps in `_activeSpanProcessor`
// (a MultiSpanProcessor over `_spanProcessors`) in SDK 2 and 3; a provider without one is left
// alone, as the API would.
import { diag, ProxyTracerProvider, trace, type TracerProvider } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { addSpanProcessor } from "./processor-registry.js";

interface SdkProviderInternals {
  _activeSpanProcessor?: SpanProcessor & { _spanProcessors?: SpanProcessor[] };
}

function spanProcessorOf(provider: unknown): (SpanProcessor & { _spanProcessors?: SpanProcessor[] }) | undefined {
  const active = (provider as SdkProviderInternals | undefined)?._activeSpanProcessor;
  return active && typeof active.onStart === "function" && typeof active.onEnd === "function" ? active : undefined;
}

/**
 * From now on, a tracer provider registered through the API while ours is feeds its span
 * processors from ours instead of being refused. Returns a function that stops this and detaches
 * the providers that joined.
 */
export function acceptLaterProviders(ours: TracerProvider): () => void {
  const api = trace as { setGlobalTracerProvider(provider: TracerProvider): boolean };
  const original = api.setGlobalTracerProvider;
  const detachers: (() => void)[] = [];
  const joined = new Set<unknown>();
  const accepting = function setGlobalTracerProvider(this: unknown, provider: TracerProvider): boolean {
    if (provider === ours || joined.has(provider)) return true;
    const processor = spanProcessorOf(provider);
    if (!processor) return original.call(this, provider);
    joined.add(provider);
    detachers.push(addSpanProcessor(processor));
    diag.debug("@jotty/otel: a tracer provider registered after ours receives its spans through ours");
    return true;
  };
  api.setGlobalTracerProvider = accepting;
  return () => {
    if (api.setGlobalTracerProvider === accepting) api.setGlobalTracerProvider = original;
    for (const detach of detachers.splice(0)) detach();
  };
}

/**
 * When another provider was registered before ours: adds our span processors to it, so the
 * spans it makes reach our pipeline. Returns a function that takes them out again, or undefined
 * when the registered provider cannot take processors.
 */
export function joinExistingProvider(processors: SpanProcessor[]): (() => void) | undefined {
  const registered = trace.getTracerProvider();
  const delegate = registered instanceof ProxyTracerProvider ? registered.getDelegate() : registered;
  const list = spanProcessorOf(delegate)?._spanProcessors;
  if (!Array.isArray(list)) return undefined;
  list.push(...processors);
  return () => {
    for (const p of processors) {
      const at = list.indexOf(p);
      if (at >= 0) list.splice(at, 1);
    }
  };
}
