// The Mastra agents both Mastra tests run, with the real @mastra/core and AI SDK providers against
// the recorded responses: a tool loop on Anthropic (a `json` tool call, then the answer after a
// web fetch) and a research answer on OpenAI's Responses API, by generate(); and a streamed tool
// loop of two identical requests.
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { Agent } from "@mastra/core/agent";
import { Mastra } from "@mastra/core";
import { createTool } from "@mastra/core/tools";
import type { Observability } from "@mastra/observability";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { WEATHER_TOOL } from "./ai-sdk-agent.js";
import { inOrder } from "./peer-run.js";

function agents(baseUrl: string, observability: Observability): Mastra {
  const anthropic = createAnthropic({ apiKey: "sk-ant-test", baseURL: `${baseUrl}/v1` });
  const openai = createOpenAI({ apiKey: "sk-test", baseURL: `${baseUrl}/v1` });
  const json = createTool({
    id: "json",
    description: "forecasts",
    inputSchema: WEATHER_TOOL.inputSchema,
    execute: async (input) => WEATHER_TOOL.execute(input),
  });
  // (The casts: @mastra/core types models against its own copy of @ai-sdk/provider, whose
  // LanguageModelV4 TypeScript sees as distinct from @ai-sdk/anthropic's; at run time it is the model Mastra expects.)
  const weather = new Agent({ id: "weather", name: "weather", instructions: "Be brief.", model: anthropic("claude-haiku-4-5") as never, tools: { json } });
  const research = new Agent({ id: "research", name: "research", instructions: "Be brief.", model: openai.responses("gpt-5-mini") as never });
  return new Mastra({ agents: { weather, research }, observability, logger: false });
}

export const generateResponses = () =>
  inOrder(
    jsonHandler(fixtureBytes("anthropic/anthropic-json-tool.1.json")),
    jsonHandler(fixtureBytes("anthropic/anthropic-web-fetch-tool.2.json")),
    jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")),
  );

/** The weather loop (2 requests) and the research answer (1), by generate(). */
export async function generateTurn(baseUrl: string, observability: Observability): Promise<void> {
  const mastra = agents(baseUrl, observability);
  try {
    await mastra.getAgent("weather").generate("What is the weather like?", { maxSteps: 5 });
    await mastra.getAgent("research").generate("What happened in tech today?");
  } finally {
    await mastra.shutdown();
  }
}

// anthropic-json-tool.1.json: claude-haiku-4-5-20251001 ($1 / $5 per million), 1151 in, 87 out = $0.001586.
// anthropic-web-fetch-tool.2.json: claude-sonnet-4-20250514 ($3 / $15), 28638 in, 365 out = $0.091389.
// openai-web-search-tool.1.json: gpt-5-mini-2025-08-07 ($0.25, cached $0.025, out $2): 19681 in
// (3712 cached), 3773 out = $0.01163105.
export const GENERATE_TRUTH = {
  calls: 3,
  inputTokens: 1151 + 28638 + 19681,
  outputTokens: 87 + 365 + 3773,
  cacheReadTokens: 3712,
  costUsd: Math.round((0.001586 + 0.091389 + 0.01163105) * 1e9) / 1e9,
};

/** Both requests answer with the `json` tool call; the loop stops at its second step. */
export const streamResponses = () => sseHandler(sseFrames("anthropic/anthropic-json-tool.1.chunks.txt", "anthropic"));

export async function streamTurn(baseUrl: string, observability: Observability): Promise<void> {
  const mastra = agents(baseUrl, observability);
  try {
    const stream = await mastra.getAgent("weather").stream("What is the weather like?", { maxSteps: 2 });
    await stream.text;
  } finally {
    await mastra.shutdown();
  }
}

// anthropic-json-tool.1.chunks.txt: claude-haiku-4-5-20251001, 849 in, 47 out, twice.
export const STREAM_TRUTH = {
  calls: 2,
  inputTokens: 2 * 849,
  outputTokens: 2 * 47,
  cacheReadTokens: 0,
  costUsd: Math.round(2 * (849e-6 + 47 * 5e-6) * 1e9) / 1e9,
};
