// The Vercel AI SDK 7 with @ai-sdk/otel (invoke_agent, `step N`, `chat <model>`, execute_tool) alone
// and beside @jotty/otel, with the real `ai` 7 and its OpenAI and Anthropic providers.
import { createAnthropic } from "@ai-sdk/anthropic";
import { OpenTelemetry } from "@ai-sdk/otel";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, isStepCount, registerTelemetry, tool } from "ai7";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fixtureBytes } from "../../../otel/test/capture/helpers/fixtures.js";
import { jsonHandler } from "../../../otel/test/capture/helpers/replay-server.js";
import { agentResponses, AGENT, AGENT_MODEL, expectAgentReport } from "./ai-sdk-agent.js";
import { expectOneCall, MERGED_WARNING } from "./expect-call.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
beforeAll(() => registerTelemetry(new OpenTelemetry()));
const telemetry = { isEnabled: true, functionId: AGENT, recordInputs: false, recordOutputs: false };

const oneCall = async (baseUrl: string) =>
  generateText({ model: createOpenAI({ apiKey: "sk-test", baseURL: `${baseUrl}/v1` }).chat("gpt-4.1-nano"), prompt: "hi", telemetry });

const agentTurn = async (baseUrl: string) => {
  const anthropic = createAnthropic({ apiKey: "sk-ant-test", baseURL: `${baseUrl}/v1` });
  return generateText({
    model: anthropic(AGENT_MODEL),
    prompt: "What is the weather like?",
    tools: {
      // The second response used Anthropic's server-side web fetch.
      web_fetch: anthropic.tools.webFetch_20250910({}),
      json: tool({
        inputSchema: z.object({ elements: z.array(z.object({ location: z.string(), temperature: z.number(), condition: z.string() })) }),
        execute: async ({ elements }) => `${elements.length} forecasts`,
      }),
    },
    stopWhen: isStepCount(5),
    telemetry,
  });
};

describe("Vercel AI SDK 7 with @ai-sdk/otel", () => {
  for (const jotty of [false, true]) {
    const who = jotty ? "beside @jotty/otel" : "alone";
    it(`one generateText, ${who}: one call (chat, not its invoke_agent roll-up)`, async () => {
      env.server.handle(jsonHandler(fixtureBytes("openai-chat/openai-text.json")));
      const { report, spans } = await env.run(oneCall, { jotty });
      expect(spans.filter((s) => s.name === "invoke_agent gpt-4.1-nano" || s.name === "chat gpt-4.1-nano")).toHaveLength(2);
      expectOneCall(report, { provider: "openai", model: "gpt-4.1-nano", inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, costUsd: 0.0001468 });
      expect(report.warnings).toEqual(jotty ? [MERGED_WARNING(1)] : []);
    });

    it(`an agent loop with a tool, ${who}: two calls, one run of two steps, and its context growth`, async () => {
      env.server.handle(agentResponses());
      const { report } = await env.run(agentTurn, { jotty, llmCalls: 2 });
      expectAgentReport(report);
      expect(report.warnings).toEqual(jotty ? [MERGED_WARNING(2)] : []);
    });
  }
});
