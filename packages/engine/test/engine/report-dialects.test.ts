// Ground truth for the dialect readers and the merge rules, on hand-built spans that carry each
// project's attribute names (the recorded-package tests are in ../dialects/): older GenAI names,
// OpenInference and OpenLLMetry run kinds, Langfuse usage details, roll-ups that repeat their
// calls' usage, and which record of a nested group supplies the usage.
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import type { Span } from "../../src/model.js";
import { span, type SpanSpec } from "@jotty/test-kit/spans";

const report = (spans: Span[]) => buildReport(spans, { source: { kind: "file", location: "t.json" }, prices: null });
const at = (attrs: SpanSpec["attrs"], s: Omit<SpanSpec, "attrs">) => span({ ...s, attrs });

describe("dialects", () => {
  it("older GenAI names: gen_ai.system, prompt/completion tokens, flat cache counters", () => {
    const r = report([
      at(
        {
          "gen_ai.operation.name": "chat",
          "gen_ai.system": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.usage.prompt_tokens": 100,
          "gen_ai.usage.completion_tokens": 20,
          "gen_ai.usage.cache_read_input_tokens": 40,
          "gen_ai.usage.cost": 0.5,
        },
        { id: "a", start: 0, end: 10 },
      ),
    ]);
    expect(r.llm).toMatchObject({
      calls: 1,
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 40,
      costUsd: 0.5,
      byModel: [{ provider: "openai", model: "gpt-4o" }],
    });
  });

  it("OpenInference: an AGENT run whose CHAIN children are steps, LLM calls, a TOOL; RETRIEVER is other", () => {
    const llm = (id: string, parent: string, start: number, prompt: number) =>
      at(
        {
          "openinference.span.kind": "LLM",
          "llm.model_name": "gpt-4o",
          "llm.provider": "openai",
          "llm.token_count.prompt": prompt,
          "llm.token_count.completion": 10,
        },
        { id, parent, start, end: start + 10 },
      );
    const r = report([
      at({ "openinference.span.kind": "AGENT" }, { id: "agent", name: "support agent", start: 0, end: 100 }),
      at({ "openinference.span.kind": "CHAIN" }, { id: "c1", parent: "agent", name: "plan", start: 0, end: 40 }),
      llm("l1", "c1", 5, 1000),
      at({ "openinference.span.kind": "RETRIEVER" }, { id: "r1", parent: "c1", start: 20, end: 30 }),
      at({ "openinference.span.kind": "CHAIN" }, { id: "c2", parent: "agent", name: "answer", start: 50, end: 100 }),
      llm("l2", "c2", 55, 3000),
      at({ "openinference.span.kind": "TOOL", "tool.name": "search" }, { id: "t1", parent: "c2", start: 70, end: 90 }),
    ]);
    expect(r.llm).toMatchObject({ calls: 2, inputTokens: 4000, outputTokens: 20 });
    expect(r.runs.count).toBe(1);
    expect(r.steps.map((s) => [s.workflow, s.position, s.name, s.meanInputTokens])).toEqual([
      ["support agent", 1, "plan", 1000],
      ["support agent", 2, "answer", 3000],
    ]);
    expect(r.timeDistribution.find((row) => row.component === "tools")?.ms).toBe(20);
    // The context grows 3× from plan to answer, but both calls take as long and carry no
    // price: a finding that saves nothing is left out.
    expect(r.recommendations.map((x) => x.kind)).not.toContain("compress-context");
  });

  it("OpenLLMetry: workflow, tasks by traceloop.entity.name, an llm.request.type call", () => {
    const r = report([
      at({ "traceloop.span.kind": "workflow", "traceloop.entity.name": "triage" }, { id: "w", name: "triage.workflow", start: 0, end: 50 }),
      at({ "traceloop.span.kind": "task", "traceloop.entity.name": "classify" }, { id: "t", parent: "w", name: "classify.task", start: 0, end: 50 }),
      at(
        {
          "llm.request.type": "chat",
          "gen_ai.system": "anthropic",
          "gen_ai.request.model": "claude-sonnet-4-5",
          "gen_ai.usage.input_tokens": 12,
          "gen_ai.usage.output_tokens": 29,
          "llm.usage.total_tokens": 41,
        },
        { id: "c", parent: "t", name: "anthropic.chat", start: 5, end: 45 },
      ),
    ]);
    expect(r.llm).toMatchObject({ calls: 1, inputTokens: 12, outputTokens: 29, byModel: [{ provider: "anthropic", model: "claude-sonnet-4-5" }] });
    expect(r.steps.map((s) => [s.workflow, s.name])).toEqual([["triage", "classify"]]);
  });

  it("Langfuse: usage details are parts of the totals (uncached input beside the cache read), cost details; details that are not JSON give no usage and no error", () => {
    const r = report([
      at(
        {
          "langfuse.observation.type": "generation",
          "langfuse.observation.model.name": "gpt-4o",
          "gen_ai.system": "openai",
          "langfuse.observation.usage_details": '{"input":50,"output":5,"input_cache_read":10}',
          "langfuse.observation.cost_details": '{"total":0.25}',
        },
        { id: "g1", start: 0, end: 10 },
      ),
      at({ "langfuse.observation.type": "generation", "langfuse.observation.usage_details": "{not json" }, { id: "g2", start: 20, end: 30 }),
    ]);
    expect(r.llm).toMatchObject({ calls: 2, inputTokens: 60, outputTokens: 5, cacheReadTokens: 10, costUsd: 0.25 });
    expect(r.warnings).toEqual([expect.stringContaining("1 LLM call(s) recorded no token usage")]);
  });

  it("AI SDK Anthropic calls: V2's uncached input gets the cache from ai.response.providerMetadata added back once; V3's (inputTokenDetails) is taken as it is", () => {
    const metadata = JSON.stringify({
      anthropic: {
        usage: { input_tokens: 6, cache_read_input_tokens: 6289, cache_creation_input_tokens: 3337, output_tokens: 198 },
        cacheCreationInputTokens: 3337,
      },
    });
    const call = (id: string, start: number, attrs: SpanSpec["attrs"]) =>
      at(
        {
          "ai.operationId": "ai.generateText.doGenerate",
          "ai.model.provider": "anthropic.messages",
          "ai.model.id": "claude-sonnet-5",
          "ai.response.providerMetadata": metadata,
          ...attrs,
        },
        { id, start, end: start + 10 },
      );
    const r = report([
      call("v2", 0, { "ai.usage.promptTokens": 6, "ai.usage.completionTokens": 198 }),
      call("v3", 20, {
        "ai.usage.inputTokens": 9632,
        "ai.usage.outputTokens": 198,
        "ai.usage.inputTokenDetails.cacheReadTokens": 6289,
        "ai.usage.inputTokenDetails.cacheWriteTokens": 3337,
      }),
    ]);
    expect(r.llm).toMatchObject({ calls: 2, inputTokens: 2 * 9632, outputTokens: 2 * 198, cacheReadTokens: 2 * 6289 });
  });

  it("unknown spans are other time, never an error", () => {
    const r = report([
      at({ "openinference.span.kind": "SOMETHING_NEW", "traceloop.span.kind": 7, "gen_ai.operation.name": "dance" }, { id: "x", start: 0, end: 10 }),
    ]);
    expect(r.llm.calls).toBe(0);
    expect(r.timeDistribution.at(-1)).toEqual({ component: "other (not LLM or tools)", ms: 10, share: 1 });
  });
});

describe("one logical call, one count", () => {
  const chat = (usage: Record<string, number>, s: Omit<SpanSpec, "attrs">) =>
    at({ "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-sonnet-4-5", ...usage }, s);

  it("a roll-up carrying its calls' usage (invoke_agent) is a run, never a call", () => {
    const r = report([
      at(
        { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "a", "gen_ai.usage.input_tokens": 300, "gen_ai.usage.output_tokens": 30 },
        { id: "agent", start: 0, end: 100 },
      ),
      chat({ "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 10 }, { id: "c1", parent: "agent", start: 0, end: 40 }),
      chat({ "gen_ai.usage.input_tokens": 200, "gen_ai.usage.output_tokens": 20 }, { id: "c2", parent: "agent", start: 50, end: 100 }),
    ]);
    expect(r.llm).toMatchObject({ calls: 2, inputTokens: 300, outputTokens: 30 });
    expect(r.runs.count).toBe(1);
  });

  it("nested records: the deepest with usage wins, figures it lacks come from the others, nothing is summed; time is the outermost's", () => {
    const r = report([
      // An SDK's span (no cache figures) over ours (usage but, say, no cost) over a third record without usage.
      chat({ "gen_ai.usage.input_tokens": 1210, "gen_ai.usage.output_tokens": 5, "gen_ai.usage.cost": 0.01 }, { id: "sdk", start: 0, end: 100 }),
      chat(
        { "gen_ai.usage.input_tokens": 1210, "gen_ai.usage.output_tokens": 5, "gen_ai.usage.cache_read.input_tokens": 1000 },
        { id: "ours", parent: "sdk", start: 2, end: 98 },
      ),
      chat({}, { id: "inner", parent: "ours", start: 3, end: 97 }),
    ]);
    expect(r.llm).toMatchObject({ calls: 1, ms: 100, inputTokens: 1210, outputTokens: 5, cacheReadTokens: 1000, costUsd: 0.01 });
    expect(r.warnings).toEqual([expect.stringContaining("2 inference span(s) recorded a call another inference span also recorded")]);
  });

  it("an outer record with usage over an inner one without (a stream whose usage only the SDK saw)", () => {
    const r = report([
      chat({ "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 30 }, { id: "sdk", start: 0, end: 100 }),
      at(
        { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "jotty.llm.usage_missing": true },
        { id: "ours", parent: "sdk", start: 1, end: 99 },
      ),
    ]);
    expect(r.llm).toMatchObject({ calls: 1, inputTokens: 12, outputTokens: 30, byModel: [{ model: "claude-sonnet-4-5" }] });
    expect(r.warnings).toHaveLength(1);
  });

  it("beside, not nested: one call when within the other's time with the same usage from another instrumentation; never for one instrumentation's parallel calls", () => {
    const usage = { "gen_ai.usage.input_tokens": 16, "gen_ai.usage.output_tokens": 363 };
    const oi = (id: string, start: number, end: number) =>
      at(
        { "openinference.span.kind": "LLM", "llm.provider": "anthropic", "llm.token_count.prompt": 16, "llm.token_count.completion": 363 },
        { id, parent: "root", name: "ChatAnthropic", start, end },
      );
    const r = report([
      span({ id: "root", start: 0, end: 100 }),
      oi("framework", 10, 60),
      chat(usage, { id: "ours", name: "llm_call", parent: "root", start: 20, end: 50 }), // within it, same usage: the same call
      chat(usage, { id: "parallel-a", name: "llm_call", parent: "root", start: 61, end: 99 }),
      chat(usage, { id: "parallel-b", name: "llm_call", parent: "root", start: 70, end: 90 }), // same instrumentation: two calls
      chat({ "gen_ai.usage.input_tokens": 17, "gen_ai.usage.output_tokens": 363 }, { id: "other", name: "llm_call", parent: "root", start: 62, end: 63 }), // other usage
    ]);
    expect(r.llm).toMatchObject({ calls: 4, inputTokens: 16 * 3 + 17, outputTokens: 363 * 4 });
    expect(r.warnings).toEqual([expect.stringContaining("1 inference span(s) recorded a call another inference span also recorded")]);
  });

  it("beside, within the clock's millisecond: spans started on whole milliseconds may stick out by one and are still one call", () => {
    const usage = { "gen_ai.usage.input_tokens": 16, "gen_ai.usage.output_tokens": 363 };
    const oi = (id: string, start: number, end: number) =>
      at(
        { "openinference.span.kind": "LLM", "llm.provider": "anthropic", "llm.token_count.prompt": 16, "llm.token_count.completion": 363 },
        { id, parent: "root", name: "ChatAnthropic", start, end },
      );
    // Ours starts `by` ms before the framework's span and ends inside it.
    const sticksOut = (by: number) =>
      report([
        span({ id: "root", start: 0, end: 100 }),
        oi("framework", 10, 60),
        chat(usage, { id: "ours", name: "llm_call", parent: "root", start: 10 - by, end: 60 - by }),
      ]).llm.calls;
    expect(sticksOut(0.9)).toBe(1);
    expect(sticksOut(5)).toBe(2);
  });
});
