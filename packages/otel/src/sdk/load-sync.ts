// Loads a package when it is first needed, synchronously (span export, an exit hook and a meter
// request cannot wait for import()). The package's ES module build is required by its resolved
// path (require(esm), Node ≥ 22.12), so the instance is the one a static `import` elsewhere gets.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export function loadSync<T>(specifier: string): T {
  const resolve = import.meta.resolve as ((specifier: string) => string) | undefined;
  return require(typeof resolve === "function" ? fileURLToPath(resolve(specifier)) : specifier) as T;
}
