// A LangGraph graph of two nodes traced by @arizeai/openinference-instrumentation-langchain, alone
// and beside @jotty/otel, with the real @langchain/langgraph and @langchain/openai models against
// the recorded OpenAI responses: a Chat Completions answer, then a Responses API answer.
// OpenInference never makes its spans current, so our llm_calls are beside its LLM spans (inside
// an app's span) or roots of traces of their own (a script).
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { registered } from "./openai-peer-suite.js";
import { CHAT_THEN_RESPONSES_TRUTH, chatThenResponses } from "./langchain-research.js";
import { llmTotals, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
beforeAll(() => registered(new LangChainInstrumentation()).manuallyInstrument(CallbackManagerModule));

const State = Annotation.Root({ question: Annotation<string>(), notes: Annotation<string>(), reply: Annotation<string>() });

const research = async (baseUrl: string) => {
  const configuration = { baseURL: `${baseUrl}/v1` };
  const chat = new ChatOpenAI({ model: "gpt-4.1-nano", apiKey: "sk-test", maxRetries: 0, configuration });
  const responses = new ChatOpenAI({ model: "gpt-5-mini", apiKey: "sk-test", maxRetries: 0, configuration, useResponsesApi: true });
  const graph = new StateGraph(State)
    .addNode("plan", async (s: typeof State.State) => ({ notes: String((await chat.invoke(s.question)).content) }))
    .addNode("answer", async (s: typeof State.State) => ({ reply: String((await responses.invoke(s.notes)).content) }))
    .addEdge(START, "plan")
    .addEdge("plan", "answer")
    .addEdge("answer", END)
    .compile();
  await graph.invoke({ question: "What happened in tech today?" }, { runName: "research" });
};

const figures = (report: Report) => ({
  llm: llmTotals(report),
  byModel: report.llm.byModel.map((m) => [m.provider, m.model, m.calls]),
});

describe("LangGraph with OpenInference", () => {
  it("inside a span of the app's own: two calls with the recorded usage; the same beside @jotty/otel", async () => {
    env.server.handle(chatThenResponses());
    const alone = await env.run(research, { jotty: false });
    env.server.handle(chatThenResponses());
    const both = await env.run(research, { jotty: true, llmCalls: 2 });

    expect(figures(alone.report)).toMatchObject({ llm: CHAT_THEN_RESPONSES_TRUTH });
    expect(alone.report.llm.costUsd).toBeGreaterThan(0);
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(alone.report)).toEqual([]);
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(2)]);
  });

  it("from a script: each llm_call is the root of a trace of its own; still the same figures", async () => {
    env.server.handle(chatThenResponses());
    const alone = await env.run(research, { jotty: false, root: false });
    env.server.handle(chatThenResponses());
    const both = await env.run(research, { jotty: true, llmCalls: 2, root: false });

    expect(figures(alone.report)).toMatchObject({ llm: CHAT_THEN_RESPONSES_TRUTH });
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(both.report)).toEqual([crossTraceMergedWarning(2)]);
  });
});
