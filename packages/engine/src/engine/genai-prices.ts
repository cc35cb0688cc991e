// The @pydantic/genai-prices catalog, loaded when something is first priced. It is the largest
// thing the engine and @jotty/otel hold (about 2.5 MB of heap as its CommonJS build, 3.2 MB as
// its ES module one), and a process's resident heap is what every major garbage collection walks:
// an app that streams (the openai client's stream parsing is allocation-heavy) pays for it on
// every collection. Synchronous (prices are read while a span ends), so require() of the
// CommonJS build.
import { createRequire } from "node:module";

type GenaiPrices = typeof import("@pydantic/genai-prices");

let catalog: GenaiPrices | undefined;

export function genaiPrices(): GenaiPrices {
  return (catalog ??= createRequire(import.meta.url)("@pydantic/genai-prices") as GenaiPrices);
}
