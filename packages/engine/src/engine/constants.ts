// Every threshold the report uses, in one place (the README's analyzer section documents them).

import type { Impact } from "../report.js";

/** Impact of a bottleneck by its share of wall time (LLM calls, steps) or of the critical path (operations). */
export const IMPACT_LEVELS: readonly { impact: Impact; minShare: number }[] = [
  { impact: "critical", minShare: 0.5 },
  { impact: "high", minShare: 0.25 },
  { impact: "medium", minShare: 0.1 },
  { impact: "low", minShare: 0 },
];

/** Bottlenecks below this share are left out of the list. */
export const BOTTLENECK_MIN_SHARE = 0.05;

/**
 * Critical path: how much a sibling may overlap the next one and still count as finished before
 * it (OpenTelemetry JS start times are whole milliseconds). 0 gives jaeger-ui's exact walk.
 */
export const CLOCK_TOLERANCE_MS = 1;

/** Default length of the operations, bottlenecks and slowest-traces lists. */
export const DEFAULT_TOP = 10;

/**
 * Spans of not-yet-analysed traces the report builder holds (about 300 bytes each, 600 for an LLM
 * call: 100,000 fit a 256 MB heap with the run sample and the trace-id window). Past it, the
 * traces idle longest are analysed as complete until half remain; spans of those arriving later
 * are analysed apart, with a warning.
 */
export const DEFAULT_MAX_PENDING_SPANS = 100_000;

/** Spans of the slowest trace the report keeps for the HTML view's waterfall (rows of its chart). */
export const WATERFALL_MAX_SPANS = 120;

/** Example trace ids quoted in a warning or a recommendation's evidence. */
export const EXAMPLE_TRACES = 3;

/** model-selection: a call producing at most this many output tokens is a "small output". */
export const SMALL_OUTPUT_TOKENS = 256;

/** model-selection: the cheaper model must cost at most this fraction of the current one. */
export const CHEAPER_MODEL_MAX_COST_RATIO = 0.5;

/** compress-context: the last step's mean input tokens must reach this multiple of the first's. */
export const CONTEXT_GROWTH_FACTOR = 1.5;

/**
 * parallelize: a sibling depends on the one before it (and stays after it) when its input tokens
 * are at least the earlier one's input plus this fraction of the earlier one's output.
 */
export const CONTEXT_CARRIED_OUTPUT_FRACTION = 0.5;

/**
 * model-selection: cheaper models tried for each provider (gen_ai.provider.name values); the
 * cheapest one with a known price is proposed. Non-reasoning models only: reasoning tokens
 * would inflate a small output's cost and latency.
 */
export const CHEAPER_MODELS: Readonly<Record<string, readonly string[]>> = {
  openai: ["gpt-4.1-nano", "gpt-4.1-mini", "gpt-4o-mini"],
  "azure.ai.openai": ["gpt-4.1-nano", "gpt-4.1-mini", "gpt-4o-mini"],
  anthropic: ["claude-haiku-4-5", "claude-3-5-haiku-latest"],
  "gcp.gemini": ["gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.0-flash"],
  "gcp.vertex_ai": ["gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.0-flash"],
};

/** rate-limits: the backoff after a refused call counts up to its retry-after plus this (client jitter); 60 s without a retry-after. */
export const RATE_LIMIT_WAIT_SLACK_MS = 2_000;
export const RATE_LIMIT_MAX_WAIT_MS = 60_000;

/**
 * prompt-caching: a shared prefix worth caching has at least this many tokens (OpenAI's and
 * Anthropic's minimum cacheable prompt).
 */
export const MIN_CACHEABLE_TOKENS = 1_024;

/**
 * Time one input token costs the model before its first output token, for the savings of
 * prompt-caching and oversized-tool-results: Anthropic's published caching figure (a
 * 100,000-token prompt: 11.5 s to the first token uncached, 2.4 s cached, 0.09 ms a token).
 */
export const PREFILL_MS_PER_TOKEN = 0.09;

/** oversized-tool-results: a tool result of at least this many (estimated) tokens is oversized … */
export const OVERSIZED_TOOL_RESULT_TOKENS = 4_000;
/** … and the saving keeps this many of them (a truncated result or a summary). */
export const KEPT_TOOL_RESULT_TOKENS = 1_000;

/** tool-loop: the same tool with the same arguments this many times in one run is a loop. */
export const TOOL_LOOP_MIN_CALLS = 3;

/** verbose-output: an answer this many times its step's median output (and VERBOSE_MIN_EXTRA_TOKENS more) is verbose. */
export const VERBOSE_OUTPUT_FACTOR = 3;
export const VERBOSE_MIN_EXTRA_TOKENS = 500;
/** verbose-output: the step's usual output needs at least this many complete answers. */
export const VERBOSE_MIN_CALLS = 5;
/** Lone LLM calls (a trace each) kept for chaining into conversations; past it they stay ungrouped. */
export const LONE_CALLS_MAX = 100_000;

/**
 * Cross-trace duplicates (cross-trace-merge.ts): a trace of at most this many spans whose root is
 * an inference span is held back until the other traces are analysed (our llm_call and its HTTP
 * span, when a peer did not make its span current).
 */
export const CROSS_TRACE_HOLD_MAX_SPANS = 8;

/** A framework's run in a trace of its own (its root an agent or workflow) of at most this many spans is held back too. */
export const CROSS_TRACE_HOLD_MAX_RUN_SPANS = 2_000;

/** Spans of held-back traces kept at most (about 300 bytes each); past it, traces are analysed unmatched. */
export const CROSS_TRACE_MAX_HELD_SPANS = 50_000;

/** Calls indexed for cross-trace matching at most (about 200 bytes each). */
export const CROSS_TRACE_MAX_INDEXED_CALLS = 200_000;
