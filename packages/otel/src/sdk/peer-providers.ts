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
import diagnostics from "node:diagnostics_channel";
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

interface TraceApi {
  setGlobalTracerProvider(provider: TracerProvider): boolean;
  [PATCHED]?: true;
}

const PATCHED = Symbol.for("@jotty/otel.accepts-later-providers");

function isTraceApi(value: unknown): value is TraceApi {
  return typeof (value as TraceApi | undefined)?.setGlobalTracerProvider === "function";
}

/**
 * From now on, a tracer provider registered through the API while ours is feeds its span
 * processors from ours instead of being refused. Every copy of the API has its own `trace`
 * object: ours is patched now, and each one loaded later by require() (a peer's CommonJS build,
 * another version) as it loads, seen through Node's `module.require` tracing channel. Returns a
 * function that stops this and detaches the providers that joined.
 */
export function acceptLaterProviders(ours: TracerProvider): () => void {
  const undo: (() => void)[] = [];
  const joined = new Set<unknown>();
  const patch = (api: TraceApi): void => {
    if (api[PATCHED]) return;
    const original = api.setGlobalTracerProvider;
    const accepting = function setGlobalTracerProvider(this: unknown, provider: TracerProvider): boolean {
      if (provider === ours || joined.has(provider)) return true;
      const processor = spanProcessorOf(provider);
      if (!processor) return original.call(this, provider);
      joined.add(provider);
      undo.push(addSpanProcessor(processor));
      diag.debug("@jotty/otel: a tracer provider registered after ours receives its spans through ours");
      return true;
    };
    api.setGlobalTracerProvider = accepting;
    api[PATCHED] = true;
    undo.push(() => {
      if (api.setGlobalTracerProvider === accepting) api.setGlobalTracerProvider = original;
      delete api[PATCHED];
    });
  };
  patch(trace as unknown as TraceApi);
  type Loaded = { result?: { trace?: unknown } };
  const channel = diagnostics.tracingChannel<unknown, Loaded>("module.require");
  const ignore = () => {};
  const handlers = {
    start: ignore,
    asyncStart: ignore,
    asyncEnd: ignore,
    error: ignore,
    end(message: Loaded) {
      const api = message.result?.trace;
      if (isTraceApi(api)) patch(api);
    },
  };
  channel.subscribe(handlers);
  return () => {
    channel.unsubscribe(handlers);
    for (const step of undo.splice(0).reverse()) step();
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
