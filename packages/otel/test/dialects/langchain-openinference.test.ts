// A LangChain chain of two steps traced by @arizeai/openinference-instrumentation-langchain
// (CHAIN run, CHAIN steps, LLM calls), alone and beside @jotty/otel, with the real
// @langchain/openai models against the recorded OpenAI responses: a Chat Completions answer,
// then a Responses API answer whose context is far larger.
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { ChatOpenAI } from "@langchain/openai";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import type { Report } from "@jotty/engine";
import { crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { registered } from "./openai-peer-suite.js";
import { inOrder, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
beforeAll(() => registered(new LangChainInstrumentation()).manuallyInstrument(CallbackManagerModule));

const research = async (baseUrl: string) => {
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

const responsesInOrder = () =>
  inOrder(jsonHandler(fixtureBytes("openai-chat/openai-text.json")), jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")));

const figures = (report: Report) => ({
  llm: {
    calls: report.llm.calls,
    inputTokens: report.llm.inputTokens,
    outputTokens: report.llm.outputTokens,
    cacheReadTokens: report.llm.cacheReadTokens,
    costUsd: report.llm.costUsd,
  },
  runs: report.runs,
  steps: report.steps.map((s) => [s.workflow, s.position, s.name, s.meanInputTokens]),
  recommendations: report.recommendations.filter((r) => r.kind === "compress-context").map((r) => r.target),
});

describe("LangChain with OpenInference", () => {
  it("a chain of two steps: one run, its steps by position, two calls with the recorded usage, the context growth; the same beside @jotty/otel", async () => {
    env.server.handle(responsesInOrder());
    const alone = await env.run(research, { jotty: false });
    env.server.handle(responsesInOrder());
    const both = await env.run(research, { jotty: true, llmCalls: 2 });

    // openai-text.json: 16 in / 363 out; openai-web-search-tool.1.json: 19681 in (3712 cached) / 3773 out.
    expect(figures(alone.report)).toMatchObject({
      llm: { calls: 2, inputTokens: 16 + 19681, outputTokens: 363 + 3773, cacheReadTokens: 3712 },
      runs: { count: 1, succeeded: 1 },
      steps: [
        ["research", 1, "plan", 16],
        ["research", 2, "answer", 19681],
      ],
      recommendations: ['steps of "research": plan, answer'],
    });
    expect(alone.report.llm.costUsd).toBeGreaterThan(0);
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(alone.report)).toEqual([]);
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(2)]);
  });

  it("without a span of the app's own: OpenInference never makes its spans current, so each llm_call is the root of a trace of its own; still the same figures", async () => {
    env.server.handle(responsesInOrder());
    const alone = await env.run(research, { jotty: false, root: false });
    env.server.handle(responsesInOrder());
    const both = await env.run(research, { jotty: true, llmCalls: 2, root: false });

    const traceOf = (name: string) => new Set(both.spans.filter((s) => s.name === name).map((s) => s.traceId));
    expect(traceOf("research").size).toBe(1);
    expect(traceOf("llm_call").size).toBe(2);
    expect([...traceOf("llm_call")].some((t) => traceOf("research").has(t))).toBe(false);
    // The chain's trace and two more: alone, the HTTP spans' own; beside ours, the llm_calls'.
    expect(alone.report.traces).toBe(3);
    expect(both.report.traces).toBe(3);
    expect(figures(alone.report)).toMatchObject({ llm: { calls: 2, inputTokens: 16 + 19681, outputTokens: 363 + 3773, cacheReadTokens: 3712 } });
    // Runs aside: alone, each bare HTTP span's trace is a run of its own.
    expect(alone.report.runs.count).toBe(3);
    expect(both.report.runs).toEqual({ count: 1, succeeded: 1, successRate: 1 });
    expect({ ...figures(both.report), runs: undefined }).toEqual({ ...figures(alone.report), runs: undefined });
    expect(callWarnings(both.report)).toEqual([crossTraceMergedWarning(2)]);
  });
});
