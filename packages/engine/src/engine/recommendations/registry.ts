// The one table of detectors: each kind of finding, and how its advisor is made. Adding a
// detector is one file, one line here (and its kind in recommendation-kinds.ts: the compiler
// refuses the table until both agree), one test.

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
import { RECOMMENDATION_KINDS, type RecommendationKind } from "../../recommendation-kinds.js";
import type { Advisor, AdvisorContext } from "./types.js";
import { VerboseOutputAdvisor } from "./verbose-output.js";

/** Every kind's advisor; the type makes the table total (one advisor a kind, no other keys). */
export const ADVISORS: { readonly [K in RecommendationKind]: (ctx: AdvisorContext) => Advisor } = {
  cache: (ctx) => new CacheAdvisor(ctx.llm),
  parallelize: (ctx) => new ParallelizeAdvisor(ctx.toleranceNs),
  "compress-context": compressContextAdvisor,
  "model-selection": (ctx) => new ModelSelectionAdvisor(ctx.llm, ctx.prices, ctx.cheaperModels),
  timeouts: timeoutsAdvisor,
  retries: retriesAdvisor,
  "rate-limits": (ctx) => new RateLimitsAdvisor(ctx),
  "prompt-caching": (ctx) => new PromptCachingAdvisor(ctx),
  "oversized-tool-results": (ctx) => new OversizedToolResultsAdvisor(ctx),
  "tool-loop": (ctx) => new ToolLoopAdvisor(ctx),
  "verbose-output": (ctx) => new VerboseOutputAdvisor(ctx),
};

/** The advisors in the order of RECOMMENDATION_KINDS. */
export const createAdvisors = (ctx: AdvisorContext): Advisor[] => RECOMMENDATION_KINDS.map((kind) => ADVISORS[kind](ctx));
