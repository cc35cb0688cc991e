// `@jotty/engine/prices`: the price catalog alone, for @jotty/otel's span costs (without the rest
// of the engine).
export { catalogPrices, catalogProviderId } from "./engine/catalog-prices.js";
export { genaiPrices } from "./engine/genai-prices.js";
