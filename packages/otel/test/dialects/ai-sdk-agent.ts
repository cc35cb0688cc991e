// The agent turn both AI SDK tests run: a tool-calling loop of two model calls against recorded
// Anthropic responses (a `json` tool call, then a final answer after a web fetch whose context
// is far larger), and what the report must say about it.
import { expect, it } from "vitest";
import { z } from "zod";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import type { Report } from "@jotty/engine";
import { expectOneCall, callWarnings, MERGED_WARNING } from "./expect-call.js";
import { inOrder, type PeerEnv } from "./peer-run.js";

export const AGENT = "weather-agent";
export const AGENT_MODEL = "claude-haiku-4-5";

/** The `json` tool the first recorded response calls. */
export const WEATHER_TOOL = {
  inputSchema: z.object({ elements: z.array(z.object({ location: z.string(), temperature: z.number(), condition: z.string() })) }),
  execute: async ({ elements }: { elements: unknown[] }) => `${elements.length} forecasts`,
};

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
}

export interface AiSdkTurns {
  /** One generateText with gpt-4.1-nano against openai-text.json. */
  oneCall: (baseUrl: string) => Promise<unknown>;
  /** The agent loop against agentResponses(). */
  agentTurn: (baseUrl: string) => Promise<unknown>;
  /** The SDK's spans of oneCall: the roll-up and the call. */
  oneCallSpans: readonly string[];
}

/** The cases both AI SDK versions pass, alone and beside @jotty/otel. */
export function aiSdkSuite(env: PeerEnv, turns: AiSdkTurns): void {
  for (const jotty of [false, true]) {
    const who = jotty ? "beside @jotty/otel" : "alone";
    it(`one generateText, ${who}: one call, not its roll-up`, async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const { report, spans } = await env.run(turns.oneCall, { jotty });
      expect(
        spans
          .filter((s) => turns.oneCallSpans.includes(s.name))
          .map((s) => s.name)
          .sort(),
      ).toEqual([...turns.oneCallSpans].sort());
      expectOneCall(report, { provider: "openai", model: "gpt-4.1-nano", inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, costUsd: 0.0001468 });
      expect(callWarnings(report)).toEqual(jotty ? [MERGED_WARNING(1)] : []);
    });

    it(`an agent loop with a tool, ${who}: two calls, one run of two steps, and its context growth`, async () => {
      env.server.handle(agentResponses());
      const { report } = await env.run(turns.agentTurn, { jotty, llmCalls: 2 });
      expectAgentReport(report);
      expect(callWarnings(report)).toEqual(jotty ? [MERGED_WARNING(2)] : []);
    });
  }
}
