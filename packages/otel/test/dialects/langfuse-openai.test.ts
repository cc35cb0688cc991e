// Langfuse's JS SDK 5 (@langfuse/tracing, @langfuse/openai) as its docs show it: the real
// `openai` client wrapped with observeOpenAI (Chat Completions, a stream, the Responses API), a
// generation recording the raw OpenAI usage object, and one recording an Anthropic call's usage
// in Langfuse's usage types, against the recorded responses, alone and beside @jotty/otel.
import Anthropic from "@anthropic-ai/sdk";
import { observeOpenAI } from "@langfuse/openai";
import { startActiveObservation } from "@langfuse/tracing";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import type { Report } from "@jotty/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { inOrder, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();

const responses = () =>
  inOrder(
    jsonHandler(fixtureBytes("openai-chat/openai-text.json")),
    jsonHandler(fixtureBytes("openai-responses/openai-web-search-tool.1.json")),
    sseHandler(sseFrames("openai-chat/openai-text.chunks.txt", "openai")),
    jsonHandler(fixtureBytes("openai-chat/openai-text.json")),
    sseHandler(sseFrames("anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt", "anthropic")),
  );

const messages = [{ role: "user" as const, content: "hi" }];

const turn = async (baseUrl: string) => {
  const openai = new OpenAI({ apiKey: "sk-test", baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const traced = observeOpenAI(openai);
  await traced.chat.completions.create({ model: "gpt-4.1-nano", messages });
  await traced.responses.create({ model: "gpt-5-mini", input: "What happened in tech today?" });
  const stream = await traced.chat.completions.create({ model: "gpt-4.1-nano", messages, stream: true, stream_options: { include_usage: true } });
  for await (const _ of stream) void _;
  // Langfuse's manual instrumentation: the provider's usage object handed over as it came.
  await startActiveObservation(
    "summarise",
    async (generation) => {
      const completion = await openai.chat.completions.create({ model: "gpt-4.1-nano", messages });
      generation.update({ model: completion.model, usageDetails: completion.usage as unknown as Record<string, number> });
    },
    { asType: "generation" },
  );
  // An Anthropic call in Langfuse's usage types, as its Anthropic guide writes them.
  await startActiveObservation(
    "answer",
    async (generation) => {
      const anthropic = new Anthropic({ apiKey: "sk-ant-test", baseURL: baseUrl, maxRetries: 0, openTelemetry: false });
      const message = await anthropic.messages.stream({ model: "claude-sonnet-5", max_tokens: 1024, messages }).finalMessage();
      const { input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens } = message.usage;
      generation.update({
        model: message.model,
        usageDetails: {
          input: input_tokens,
          output: output_tokens,
          cache_read_input_tokens: cache_read_input_tokens ?? 0,
          cache_creation_input_tokens: cache_creation_input_tokens ?? 0,
        },
      });
    },
    { asType: "generation" },
  );
};

// The recorded usage: openai-text.json 16 in / 363 out (twice); openai-web-search-tool.1.json
// 19681 in (3712 cached) / 3773 out (3136 reasoning); the stream 16 / 300; the Anthropic stream
// 6 + 3337 cache write + 6289 cache read in / 198 out.
const INPUT = 16 + 19681 + 16 + 16 + (6 + 3337 + 6289);
const OUTPUT = 363 + 3773 + 300 + 363 + 198;
const CACHE_READ = 3712 + 6289;
// At the catalog's rates: gpt-4.1-nano $0.10 / $0.40 per million; gpt-5-mini $0.25 in,
// $0.025 cached, $2 out.
const OPENAI_COST = 0.0001468 * 2 + 0.0001216 + ((19681 - 3712) * 0.25 + 3712 * 0.025 + 3773 * 2) / 1e6;

const figures = (report: Report) => ({
  traces: report.traces,
  calls: report.llm.calls,
  inputTokens: report.llm.inputTokens,
  outputTokens: report.llm.outputTokens,
  cacheReadTokens: report.llm.cacheReadTokens,
  costUsd: report.llm.costUsd,
  // By provider: the by-model rows name the response's model alone and the requested one beside ours.
  byProvider: Object.fromEntries(
    ["openai", "anthropic"].map((p) => {
      const rows = report.llm.byModel.filter((m) => m.provider === p);
      const total = (f: (m: (typeof rows)[number]) => number) => Math.round(rows.reduce((a, m) => a + f(m), 0) * 1e9) / 1e9;
      return [p, [total((m) => m.calls), total((m) => m.inputTokens), total((m) => m.outputTokens), total((m) => m.cacheReadTokens), total((m) => m.costUsd)]];
    }),
  ),
});

describe("Langfuse JS SDK 5 (@langfuse/tracing, @langfuse/openai)", () => {
  it("five generations: the usage details read as parts of the totals, the raw usage object too, the provider from the model; the same beside @jotty/otel", async () => {
    env.server.handle(responses());
    const alone = await env.run(turn, { jotty: false });
    env.server.handle(responses());
    const both = await env.run(turn, { jotty: true, llmCalls: 5 });

    expect(alone.spans.filter((s) => s.attributes["langfuse.observation.type"] === "generation")).toHaveLength(5);
    expect(alone.report.llm).toMatchObject({ calls: 5, inputTokens: INPUT, outputTokens: OUTPUT, cacheReadTokens: CACHE_READ });
    const { byProvider } = figures(alone.report);
    expect(byProvider.openai![0]! + byProvider.anthropic![0]!).toBe(5);
    expect(byProvider.anthropic).toEqual([1, 6 + 3337 + 6289, 198, 6289, expect.any(Number)]);
    expect(byProvider.openai![4]).toBeCloseTo(OPENAI_COST, 9);
    expect(byProvider.anthropic![4]).toBeGreaterThan(0);
    expect(callWarnings(alone.report)).toEqual([]);

    expect(both.spans.filter((s) => s.name === "llm_call")).toHaveLength(5);
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(5)]);
  });
});
