// The Vercel AI SDK 7 with @ai-sdk/otel (invoke_agent, `step N`, `chat <model>`, execute_tool) alone
// and beside @jotty/otel, with the real `ai` 7 and its OpenAI and Anthropic providers.
import { createAnthropic } from "@ai-sdk/anthropic";
import { OpenTelemetry } from "@ai-sdk/otel";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, isStepCount, registerTelemetry, tool } from "ai";
import { beforeAll, describe } from "vitest";
import { AGENT, AGENT_MODEL, aiSdkSuite, WEATHER_TOOL } from "./ai-sdk-agent.js";
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
      json: tool(WEATHER_TOOL),
    },
    stopWhen: isStepCount(5),
    telemetry,
  });
};

describe("Vercel AI SDK 7 with @ai-sdk/otel", () => {
  aiSdkSuite(env, { oneCall, agentTurn, oneCallSpans: ["invoke_agent gpt-4.1-nano", "step 1", "chat gpt-4.1-nano"] });
});
