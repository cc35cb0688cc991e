// The OpenAI Agents SDK traced by @arizeai/openinference-instrumentation-openai-agents (its
// TracingProcessor turned into OpenTelemetry spans, never made current), alone and beside
// @jotty/otel, with the real @openai/agents against the recorded OpenAI responses: an agent on the
// Responses API, then one on Chat Completions.
import * as agents from "@openai/agents";
import { OpenAIAgentsInstrumentation } from "@arizeai/openinference-instrumentation-openai-agents";
import { trace } from "@opentelemetry/api";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler } from "@jotty/test-kit/replay-server";
import type { Report } from "@jotty/engine";
import { crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { inOrder, llmTotals, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
let instrumentation: OpenAIAgentsInstrumentation;
beforeAll(() => {
  // The SDK turns its tracing off when NODE_ENV is "test" (as under vitest); users' apps have it on.
  agents.setTracingDisabled(false);
  instrumentation = new OpenAIAgentsInstrumentation({ tracerProvider: trace.getTracerProvider() });
  instrumentation.manuallyInstrument(agents);
});
afterAll(() => instrumentation.uninstrument());

const turn = async (baseUrl: string) => {
  // Made inside the turn: the client keeps the fetch it sees when constructed (ours, or not).
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const researcher = new agents.Agent({ name: "researcher", instructions: "Be brief.", model: new agents.OpenAIResponsesModel(client as never, "gpt-5-mini") });
  const planner = new agents.Agent({
    name: "planner",
    instructions: "Be brief.",
    model: new agents.OpenAIChatCompletionsModel(client as never, "gpt-4.1-nano"),
  });
  await agents.run(researcher, "What happened in tech today?");
  await agents.run(planner, "Plan a holiday.");
  await agents.getGlobalTraceProvider().forceFlush();
};

const responses = () =>
  inOrder(jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")), jsonHandler(fixtureBytes("openai-chat/openai-text.json")));

// openai-web-search-tool.1.json: gpt-5-mini, 19681 in (3712 cached) / 3773 out; openai-text.json: gpt-4.1-nano, 16 / 363.
const TRUTH = { calls: 2, inputTokens: 19681 + 16, outputTokens: 3773 + 363, cacheReadTokens: 3712 };

// The by-model rows' key aside: OpenInference records only the served model of a Responses call
// (gpt-5-mini-2025-08-07, in llm.model_name and the response object it writes as
// llm.invocation_parameters); beside ours the row is named by the requested one (gpt-5-mini).
const figures = (report: Report) => ({
  llm: llmTotals(report),
  byProvider: report.llm.byModel.map((m) => [m.provider, m.calls, m.inputTokens, m.costUsd]),
});

describe("OpenAI Agents SDK with OpenInference", () => {
  it("inside a span of the app's own: two calls with the recorded usage; the same beside @jotty/otel", async () => {
    env.server.handle(responses());
    const alone = await env.run(turn, { jotty: false });
    env.server.handle(responses());
    const both = await env.run(turn, { jotty: true, llmCalls: 2 });
    expect(figures(alone.report)).toMatchObject({ llm: TRUTH });
    expect(alone.report.llm.costUsd).toBeGreaterThan(0);
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(alone.report)).toEqual([]);
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(2)]);
  });

  it("from a script: each llm_call is the root of a trace of its own; still the same figures", async () => {
    env.server.handle(responses());
    const alone = await env.run(turn, { jotty: false, root: false });
    env.server.handle(responses());
    const both = await env.run(turn, { jotty: true, llmCalls: 2, root: false });
    expect(figures(alone.report)).toMatchObject({ llm: TRUTH });
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(both.report)).toEqual([crossTraceMergedWarning(2)]);
  });
});
