// The one table of detectors: each kind of finding, and how its advisor is made. Adding a
// detector is one file, one line here, one test. RecommendationKind is derived from this table.

import { CacheAdvisor } from "./cache.js";
import { compressContextAdvisor } from "./compress-context.js";
import { ModelSelectionAdvisor } from "./model-selection.js";
import { OversizedToolResultsAdvisor } from "./oversized-tool-results.js";
import { ParallelizeAdvisor } from "./parallelize.js";
import { PromptCachingAdvisor } from "./prompt-caching.js";
import { RateLimitsAdvisor } from "./rate-limits.js";
import { retriesAdvisor } from "./retries.js";
import { timeoutsAdvisor } from "./timeouts.js";
import { ToolLoopAdvisor } from "./tool-loop.js";
import type { Advisor, AdvisorContext } from "./types.js";
import { VerboseOutputAdvisor } from "./verbose-output.js";

export interface AdvisorEntry<K extends string = string> {
  readonly kind: K;
  create(ctx: AdvisorContext): Advisor;
}

const entry = <K extends string>(kind: K, create: (ctx: AdvisorContext) => Advisor): AdvisorEntry<K> => ({ kind, create });

export const ADVISORS = [
  entry("cache", (ctx) => new CacheAdvisor(ctx.llm)),
  entry("parallelize", (ctx) => new ParallelizeAdvisor(ctx.toleranceNs)),
  entry("compress-context", compressContextAdvisor),
  entry("model-selection", (ctx) => new ModelSelectionAdvisor(ctx.llm, ctx.prices, ctx.cheaperModels)),
  entry("timeouts", timeoutsAdvisor),
  entry("retries", retriesAdvisor),
  entry("rate-limits", (ctx) => new RateLimitsAdvisor(ctx)),
  entry("prompt-caching", (ctx) => new PromptCachingAdvisor(ctx)),
  entry("oversized-tool-results", (ctx) => new OversizedToolResultsAdvisor(ctx)),
  entry("tool-loop", (ctx) => new ToolLoopAdvisor(ctx)),
  entry("verbose-output", (ctx) => new VerboseOutputAdvisor(ctx)),
] as const;

export type RecommendationKind = (typeof ADVISORS)[number]["kind"];
