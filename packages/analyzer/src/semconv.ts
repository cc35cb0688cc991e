// `@jotty/analyzer/semconv` is kept for existing importers; the vocabulary lives in @jotty/engine.
export * from "@jotty/engine/semconv";
