export type { Span, SpanEvent, Attributes, AttributeValue, SpanKindName, SpanStatusCode } from "./model.js";
export type { Report, Impact, RecommendationKind } from "./report.js";
