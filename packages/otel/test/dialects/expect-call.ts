// The assertion every dialect test makes: the report holds exactly one LLM call with the
// recorded provider usage, in the totals and in its one by-model row.
import { expect } from "vitest";
import { mergedCallsWarning } from "@jotty/engine/engine";
import type { Report } from "@jotty/engine";

export interface ExpectedCall {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: number;
}

export function expectOneCall(report: Report, call: ExpectedCall, calls = 1): void {
  const { provider, model, ...usage } = call;
  const times = (n: number) => n * calls;
  expect(report.llm).toMatchObject({
    calls,
    inputTokens: times(usage.inputTokens),
    outputTokens: times(usage.outputTokens),
    cacheReadTokens: times(usage.cacheReadTokens),
    costUsd: Math.round(times(usage.costUsd) * 1e9) / 1e9,
  });
  expect(report.llm.byModel).toHaveLength(1);
  expect(report.llm.byModel[0]).toMatchObject({
    provider,
    model,
    calls,
    inputTokens: times(usage.inputTokens),
    outputTokens: times(usage.outputTokens),
    cacheReadTokens: times(usage.cacheReadTokens),
  });
}

export const MERGED_WARNING = mergedCallsWarning;

/**
 * The report's warnings about calls (merged spans, calls without usage). Others, such as a
 * peer's span starting a clock tick after its child, depend on timing, not on what is counted.
 */
export function callWarnings(report: Report): string[] {
  return report.warnings.filter((w) => w.includes("inference span(s) recorded a call") || w.includes("recorded no token usage"));
}
