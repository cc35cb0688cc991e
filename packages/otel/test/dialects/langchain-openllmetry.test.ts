// A LangChain chain of two steps traced by OpenLLMetry's @traceloop/instrumentation-langchain,
// alone and beside @jotty/otel, with the real @langchain/openai models against the recorded
// OpenAI responses: a Chat Completions answer, then a Responses API answer. Its spans are never
// current: inside an app's span our llm_calls are beside them, from a script in traces of their own.
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@traceloop/instrumentation-langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { callsWithoutUsageWarning, crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { registered } from "./openai-peer-suite.js";
import { CHAT_THEN_RESPONSES_TRUTH, chatThenResponses, researchChain } from "./langchain-research.js";
import { llmTotals, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
let instrumentation: LangChainInstrumentation;
beforeAll(() => {
  instrumentation = registered(new LangChainInstrumentation());
  instrumentation.manuallyInstrument({ callbackManagerModule: CallbackManagerModule });
});
afterAll(() => instrumentation.disable());

const figures = (report: Report) => ({
  llm: llmTotals(report),
  byModel: report.llm.byModel.map((m) => [m.provider, m.model, m.calls]).sort(),
});

describe("LangChain with OpenLLMetry", () => {
  for (const root of [true, false]) {
    it(`${root ? "inside a span of the app's own" : "from a script"}: two calls; beside @jotty/otel, each with the recorded usage`, async () => {
      env.server.handle(chatThenResponses());
      const alone = await env.run(researchChain, { jotty: false, root });
      env.server.handle(chatThenResponses());
      const both = await env.run(researchChain, { jotty: true, llmCalls: 2, root });
      // OpenLLMetry reads LangChain's Chat Completions token usage only: its span of the Responses
      // API call records none, so alone that call counts with 0 tokens, and the report says so.
      expect(figures(alone.report)).toEqual({
        ...figures(both.report),
        llm: { calls: 2, inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, costUsd: 0.0001468 },
      });
      expect(callWarnings(alone.report)).toEqual([callsWithoutUsageWarning(1)]);
      // Beside ours, the usage-less span is the same request as our llm_call of its model within its time.
      expect(figures(both.report).llm).toEqual({ ...CHAT_THEN_RESPONSES_TRUTH, costUsd: 0.01177785 });
      expect(callWarnings(both.report)).toEqual([root ? MERGED_WARNING(2) : crossTraceMergedWarning(2)]);
    });
  }
});
