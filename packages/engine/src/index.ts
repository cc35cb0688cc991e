// `@jotty/engine`: the neutral span and report types, and the report's text building blocks (sections,
// their shape, number formats, summary lines) that every renderer shares.
export type * from "./model.js";
export type * from "./report.js";
export * from "./render/format.js";
export * from "./render/sections.js";
export * from "./render/section-shape.js";
export * from "./render/plain-text.js";
export * from "./render/summary.js";
export * from "./render/trace-links.js";
