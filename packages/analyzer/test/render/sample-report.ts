// A hand-built report, shaped like the seed's analysis, for the renderer tests.
import type { Report } from "@jotty/engine";

export function sampleReport(): Report {
  return {
    schemaVersion: 1,
    source: { kind: "jaeger", location: "http://localhost:16686" },
    window: { start: "2026-11-25T20:00:00.000Z", end: "2026-11-25T21:00:00.000Z" },
    traces: 12,
    spans: 340,
    wallMs: 93_500,
    timeDistribution: [
      { component: "LLM calls", ms: 84_150, share: 0.9 },
      { component: "step 1: plan", ms: 32_725, share: 0.35 },
      { component: "step 2: write | code", ms: 25_245, share: 0.27 },
      { component: "other", ms: 9_350, share: 0.1 },
    ],
    llm: {
      calls: 48,
      ms: 84_150,
      share: 0.9,
      criticalShare: 0.93,
      inputTokens: 182_400,
      outputTokens: 9_120,
      cacheReadTokens: 12_000,
      costUsd: 0.4213,
      byModel: [
        { provider: "openai", model: "gpt-4o", calls: 36, inputTokens: 150_000, outputTokens: 8_000, cacheReadTokens: 12_000, costUsd: 0.4, p50Ms: 1_650, p95Ms: 3_900 },
        { provider: "anthropic", model: "claude-haiku-4-5", calls: 12, inputTokens: 32_400, outputTokens: 1_120, cacheReadTokens: 0, costUsd: 0.0213, p50Ms: 820, p95Ms: 1_400 },
      ],
    },
    operations: [
      { name: "llm_call", count: 48, totalMs: 84_150, selfMs: 84_150, selfShare: 0.9, criticalMs: 80_000, criticalShare: 0.86, p50Ms: 1_500, p95Ms: 3_800, maxMs: 4_100, errors: 1 },
      { name: "invoke_workflow research", count: 12, totalMs: 93_500, selfMs: 2_000, selfShare: 0.02, criticalMs: 2_000, criticalShare: 0.02, p50Ms: 7_700, p95Ms: 9_900, maxMs: 10_200, errors: 0 },
      { name: "execute_tool search", count: 20, totalMs: 4_000, selfMs: 4_000, selfShare: 0.04, criticalMs: 3_000, criticalShare: 0.03, p50Ms: 190, p95Ms: 400, maxMs: 420, errors: 2 },
    ],
    steps: [
      { name: "plan", position: 1, count: 12, meanMs: 2_727, p95Ms: 3_900, share: 0.35, meanInputTokens: 2_100, timeouts: 0, retries: 1, failures: 0 },
      { name: "write code", position: 2, count: 12, meanMs: 2_104, p95Ms: 3_000, share: 0.27, meanInputTokens: 5_400, timeouts: 1, retries: 2, failures: 1 },
    ],
    runs: { count: 12, succeeded: 11, successRate: 11 / 12 },
    bottlenecks: [
      { name: "llm_call", impact: "critical", share: 0.86, why: "86 % of the critical path waits on LLM calls (48 calls, p95 3.8 s)" },
      { name: "step 2: write code", impact: "medium", share: 0.27, why: "input tokens grow 2.6× from step 1 to step 2: the context carries every earlier answer" },
    ],
    recommendations: [
      {
        id: "cache:llm_call gpt-4o",
        kind: "cache",
        target: "llm_call gpt-4o",
        estimatedSavingMs: 6_600,
        estimatedSavingUsd: 0.05,
        perRun: { estimatedSavingMs: 660, estimatedSavingUsd: 0.005 },
        evidence: "prompt hash 9f2c… seen 4 times in traces 0af7651916cd43dd8448eb211c80319c, 4bf92f3577b34da6a3ce929d0e0e4736",
        cause: "the same request was sent 3 more times and answered again",
        fix: "cache responses by the request's canonical hash in front of the client",
        examples: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" }],
        validate: "jotty-analyze --baseline-file <traces before the change> --file <traces after the change>",
      },
      {
        id: "parallelize:invoke_workflow research: search ×3",
        kind: "parallelize",
        target: "invoke_workflow research: search ×3",
        estimatedSavingMs: 12_000,
        estimatedSavingUsd: 0,
        perRun: { estimatedSavingMs: 1_200, estimatedSavingUsd: 0 },
        evidence: "3 sibling tool calls ran one after another in 10 traces",
        cause: "3 tool calls that do not take each other's output ran one after another",
        fix: "start the independent ones together (Promise.all) and wait for all of them",
        examples: [],
        validate: "jotty-analyze --baseline-file <traces before the change> --file <traces after the change>",
      },
    ],
    slowestTraces: [
      { traceId: "0af7651916cd43dd8448eb211c80319c", rootName: "invoke_workflow research", durationMs: 10_200, url: "http://localhost:16686/trace/0af7651916cd43dd8448eb211c80319c" },
    ],
    warnings: ["2 spans whose parent is missing were read as roots"],
  };
}

export function emptyReport(): Report {
  return {
    ...sampleReport(),
    traces: 0,
    spans: 0,
    wallMs: 0,
    timeDistribution: [],
    llm: { calls: 0, ms: 0, share: 0, criticalShare: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0, byModel: [] },
    operations: [],
    steps: [],
    runs: { count: 0, succeeded: 0, successRate: 0 },
    bottlenecks: [],
    recommendations: [],
    slowestTraces: [],
    warnings: [],
  };
}
