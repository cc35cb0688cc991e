// The agent turn both AI SDK tests run: a tool-calling loop of two model calls against recorded
// Anthropic responses (a `json` tool call, then a final answer after a web fetch whose context
// is far larger), and what the report must say about it.
import { expect } from "vitest";
import { fixtureBytes } from "../../../otel/test/capture/helpers/fixtures.js";
import { jsonHandler } from "../../../otel/test/capture/helpers/replay-server.js";
import type { Report } from "../../src/report.js";
import { inOrder } from "./peer-run.js";

export const AGENT = "weather-agent";
export const AGENT_MODEL = "claude-haiku-4-5";

export const agentResponses = () =>
  inOrder(jsonHandler(fixtureBytes("anthropic/anthropic-json-tool.1.json")), jsonHandler(fixtureBytes("anthropic/anthropic-web-fetch-tool.2.json")));

// Step 1 (claude-haiku-4-5-20251001, $1 / $5 per million): 1151 in, 87 out = $0.001586.
// Step 2 (claude-sonnet-4-20250514, $3 / $15 per million): 28638 in, 365 out = $0.091389.
const STEP_1 = { inputTokens: 1151, outputTokens: 87 };
const STEP_2 = { inputTokens: 28638, outputTokens: 365 };
const COST = 0.001586 + 0.091389;

/** Every figure the report gives of the agent turn: calls, tokens, cost, steps, the recommendation. */
export function expectAgentReport(report: Report): void {
  expect(report.llm).toMatchObject({
    calls: 2,
    inputTokens: STEP_1.inputTokens + STEP_2.inputTokens,
    outputTokens: STEP_1.outputTokens + STEP_2.outputTokens,
    cacheReadTokens: 0,
    costUsd: Math.round(COST * 1e9) / 1e9,
  });
  expect(report.llm.byModel).toMatchObject([{ provider: "anthropic", model: AGENT_MODEL, calls: 2 }]);
  expect(report.runs).toEqual({ count: 1, succeeded: 1, successRate: 1 });
  expect(report.steps.map(({ workflow, name, position, count, meanInputTokens }) => ({ workflow, name, position, count, meanInputTokens }))).toEqual([
    { workflow: AGENT, name: "step 1", position: 1, count: 1, meanInputTokens: STEP_1.inputTokens },
    { workflow: AGENT, name: "step 2", position: 2, count: 1, meanInputTokens: STEP_2.inputTokens },
  ]);
  const compress = report.recommendations.filter((r) => r.kind === "compress-context");
  expect(compress).toHaveLength(1);
  expect(compress[0]!.target).toBe(`steps of "${AGENT}": step 1, step 2`);
  expect(compress[0]!.evidence).toContain("step 1 1151 → step 2 28638");
  expect(report.timeDistribution.map((row) => row.component)).toContain("tools");
}
