// `@jotty/analyzer/text` is kept for existing importers; the code lives in @jotty/engine.
export * from "@jotty/engine/text";
