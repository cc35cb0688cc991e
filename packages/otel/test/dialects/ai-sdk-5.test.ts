// The Vercel AI SDK 5 telemetry (ai.generateText, .doGenerate, ai.toolCall; ai.usage.*) alone
// and beside @jotty/otel, with the real `ai` 5 and its OpenAI and Anthropic providers.
import { createAnthropic } from "ai-sdk-anthropic2";
import { createOpenAI } from "ai-sdk-openai2";
import { generateText, stepCountIs, tool } from "ai5";
import { describe } from "vitest";
import { AGENT, AGENT_MODEL, aiSdkSuite, WEATHER_TOOL } from "./ai-sdk-agent.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
const telemetry = { isEnabled: true, functionId: AGENT, recordInputs: false, recordOutputs: false };

const oneCall = async (baseUrl: string) =>
  generateText({ model: createOpenAI({ apiKey: "sk-test", baseURL: `${baseUrl}/v1` }).chat("gpt-4.1-nano"), prompt: "hi", experimental_telemetry: telemetry });

const agentTurn = async (baseUrl: string) => {
  const anthropic = createAnthropic({ apiKey: "sk-ant-test", baseURL: `${baseUrl}/v1` });
  return generateText({
    model: anthropic(AGENT_MODEL),
    prompt: "What is the weather like?",
    tools: {
      // The second response used Anthropic's server-side web fetch. (The cast: the latest ai 5 and
      // @ai-sdk/anthropic 2 depend on two patch versions of @ai-sdk/provider-utils, whose Tool
      // types TypeScript sees as distinct; at run time the tool is what generateText expects.)
      web_fetch: anthropic.tools.webFetch_20250910({}) as never,
      json: tool(WEATHER_TOOL),
    },
    stopWhen: stepCountIs(5),
    experimental_telemetry: telemetry,
  });
};

describe("Vercel AI SDK 5 telemetry", () => {
  aiSdkSuite(env, { oneCall, agentTurn, oneCallSpans: ["ai.generateText", "ai.generateText.doGenerate"] });
});
