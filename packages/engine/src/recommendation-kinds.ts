// The kinds of finding the report gives, one per detector of the advisor table
// (engine/recommendations/registry.ts, which must give each exactly one advisor). The list lives
// here, beside the report contract, because the contract names it and the engine's folders may
// not be imported by it (scripts/test/import-floors.test.ts).

export const RECOMMENDATION_KINDS = [
  "cache",
  "parallelize",
  "compress-context",
  "model-selection",
  "timeouts",
  "retries",
  "rate-limits",
  "prompt-caching",
  "oversized-tool-results",
  "tool-loop",
  "verbose-output",
] as const;

export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];
