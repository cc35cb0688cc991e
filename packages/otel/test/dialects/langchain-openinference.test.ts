// A LangChain chain of two steps traced by @arizeai/openinference-instrumentation-langchain
// (CHAIN run, CHAIN steps, LLM calls), alone and beside @jotty/otel, with the real
// @langchain/openai models against the recorded OpenAI responses: a Chat Completions answer,
// then a Responses API answer whose context is far larger.
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { registered } from "./openai-peer-suite.js";
import { chatThenResponses, researchChain } from "./langchain-research.js";
import { llmTotals, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
beforeAll(() => registered(new LangChainInstrumentation()).manuallyInstrument(CallbackManagerModule));

const figures = (report: Report) => ({
  llm: llmTotals(report),
  runs: report.runs,
  steps: report.steps.map((s) => [s.workflow, s.position, s.name, s.meanInputTokens]),
  recommendations: report.recommendations.filter((r) => r.kind === "compress-context").map((r) => r.target),
});

describe("LangChain with OpenInference", () => {
  it("a chain of two steps: one run, its steps by position, two calls with the recorded usage, the context growth; the same beside @jotty/otel", async () => {
    env.server.handle(chatThenResponses());
    const alone = await env.run(researchChain, { jotty: false });
    env.server.handle(chatThenResponses());
    const both = await env.run(researchChain, { jotty: true, llmCalls: 2 });

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
    env.server.handle(chatThenResponses());
    const alone = await env.run(researchChain, { jotty: false, root: false });
    env.server.handle(chatThenResponses());
    const both = await env.run(researchChain, { jotty: true, llmCalls: 2, root: false });

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
