// The SDK packages our pipeline is built from, each loaded (synchronously, see load-sync.ts) the
// first time it is used: none of them is needed before the app makes its first span, and
// together they are most of what `--import @jotty/otel/register` would otherwise load at start.
import { loadSync } from "./load-sync.js";

function lazyPackage<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= loadSync<T>(specifier));
}

export const otelCore = lazyPackage<typeof import("@opentelemetry/core")>("@opentelemetry/core");
export const sdkTrace = lazyPackage<typeof import("@opentelemetry/sdk-trace")>("@opentelemetry/sdk-trace");
export const otelResources = lazyPackage<typeof import("@opentelemetry/resources")>("@opentelemetry/resources");
export const semconv = lazyPackage<typeof import("@opentelemetry/semantic-conventions")>("@opentelemetry/semantic-conventions");
