// `@jotty/analyzer/engine` is kept for existing importers; the engine lives in @jotty/engine.
export * from "@jotty/engine/engine";
