// The LangChain app the peer tests trace: a chain of two steps with the real @langchain/openai
// models, a Chat Completions call (plan) and then a Responses API call (answer), against the
// recorded OpenAI responses in that order.
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { ChatOpenAI } from "@langchain/openai";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import { inOrder } from "./peer-run.js";

export const researchChain = async (baseUrl: string) => {
  const configuration = { baseURL: `${baseUrl}/v1` };
  const chat = new ChatOpenAI({ model: "gpt-4.1-nano", apiKey: "sk-test", maxRetries: 0, configuration });
  const responses = new ChatOpenAI({ model: "gpt-5-mini", apiKey: "sk-test", maxRetries: 0, configuration, useResponsesApi: true });
  // The config is handed on, as LangChain's docs show, so the model runs are children of the step.
  const plan = RunnableLambda.from(async (question: string, config) => String((await chat.invoke(question, config)).content)).withConfig({ runName: "plan" });
  const answer = RunnableLambda.from(async (notes: string, config) => String((await responses.invoke(notes, config)).content)).withConfig({
    runName: "answer",
  });
  await RunnableSequence.from([plan, answer]).withConfig({ runName: "research" }).invoke("What happened in tech today?");
};

/** The chat answer, then the Responses answer. */
export const chatThenResponses = () =>
  inOrder(jsonHandler(fixtureBytes("openai-chat/openai-text.json")), jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")));

// openai-text.json: gpt-4.1-nano, 16 in / 363 out; openai-web-search-tool.1.json: gpt-5-mini, 19681 in (3712 cached) / 3773 out.
// Cost: $0.0001468 + $0.01163105.
export const CHAT_THEN_RESPONSES_TRUTH = { calls: 2, inputTokens: 16 + 19681, outputTokens: 363 + 3773, cacheReadTokens: 3712 };
