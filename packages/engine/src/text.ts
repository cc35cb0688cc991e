// `@jotty/engine/text`: the report's sections, number formats and a plain-text renderer, without
// the CLI's dependencies, for reports rendered inside an app (@jotty/otel's printReport()).
export { cpuHotspotsSection, sections, type Section } from "./render/sections.js";
export { plainSection } from "./render/plain-text.js";
export { headline } from "./render/summary.js";
export { formatCount, formatMs, formatShare, formatUsd } from "./render/format.js";
