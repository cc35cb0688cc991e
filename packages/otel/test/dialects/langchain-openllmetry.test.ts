// A LangChain chain of two steps traced by OpenLLMetry's @traceloop/instrumentation-langchain,
// alone and beside @jotty/otel, with the real @langchain/openai models against the recorded
// OpenAI responses: a Chat Completions answer, then a Responses API answer. Its spans are never
// current: inside an app's span our llm_calls are beside them, from a script in traces of their own.
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { ChatOpenAI } from "@langchain/openai";
import { LangChainInstrumentation } from "@traceloop/instrumentation-langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import type { Report } from "@jotty/engine";
import { callsWithoutUsageWarning, crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { registered } from "./openai-peer-suite.js";
import { inOrder, llmTotals, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
let instrumentation: LangChainInstrumentation;
beforeAll(() => {
  instrumentation = registered(new LangChainInstrumentation());
  instrumentation.manuallyInstrument({ callbackManagerModule: CallbackManagerModule });
});
afterAll(() => instrumentation.disable());

const research = async (baseUrl: string) => {
  const configuration = { baseURL: `${baseUrl}/v1` };
  const chat = new ChatOpenAI({ model: "gpt-4.1-nano", apiKey: "sk-test", maxRetries: 0, configuration });
  const responses = new ChatOpenAI({ model: "gpt-5-mini", apiKey: "sk-test", maxRetries: 0, configuration, useResponsesApi: true });
  const plan = RunnableLambda.from(async (question: string, config) => String((await chat.invoke(question, config)).content)).withConfig({ runName: "plan" });
  const answer = RunnableLambda.from(async (notes: string, config) => String((await responses.invoke(notes, config)).content)).withConfig({
    runName: "answer",
  });
  await RunnableSequence.from([plan, answer]).withConfig({ runName: "research" }).invoke("What happened in tech today?");
};

const responsesInOrder = () =>
  inOrder(jsonHandler(fixtureBytes("openai-chat/openai-text.json")), jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")));

// openai-text.json: gpt-4.1-nano, 16 in / 363 out; openai-web-search-tool.1.json: gpt-5-mini, 19681 in (3712 cached) / 3773 out.
// Cost: $0.0001468 + $0.01163105.
const TRUTH = { calls: 2, inputTokens: 16 + 19681, outputTokens: 363 + 3773, cacheReadTokens: 3712 };

const figures = (report: Report) => ({
  llm: llmTotals(report),
  byModel: report.llm.byModel.map((m) => [m.provider, m.model, m.calls]).sort(),
});

describe("LangChain with OpenLLMetry", () => {
  for (const root of [true, false]) {
    it(`${root ? "inside a span of the app's own" : "from a script"}: two calls; beside @jotty/otel, each with the recorded usage`, async () => {
      env.server.handle(responsesInOrder());
      const alone = await env.run(research, { jotty: false, root });
      env.server.handle(responsesInOrder());
      const both = await env.run(research, { jotty: true, llmCalls: 2, root });
      // OpenLLMetry reads LangChain's Chat Completions token usage only: its span of the Responses
      // API call records none, so alone that call counts with 0 tokens, and the report says so.
      expect(figures(alone.report)).toEqual({
        ...figures(both.report),
        llm: { calls: 2, inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, costUsd: 0.0001468 },
      });
      expect(callWarnings(alone.report)).toEqual([callsWithoutUsageWarning(1)]);
      // Beside ours, the usage-less span is the same request as our llm_call of its model within its time.
      expect(figures(both.report).llm).toEqual({ ...TRUTH, costUsd: 0.01177785 });
      expect(callWarnings(both.report)).toEqual([root ? MERGED_WARNING(2) : crossTraceMergedWarning(2)]);
    });
  }
});
