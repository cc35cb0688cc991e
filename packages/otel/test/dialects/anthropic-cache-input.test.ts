// Records that copy Anthropic's `input_tokens` (the uncached input only) get the cache reads and
// writes added back, once: OpenLLMetry's @traceloop/instrumentation-anthropic on the real
// Anthropic SDK, and AI SDK 5 with @ai-sdk/anthropic 2 (the cache write only inside
// ai.response.providerMetadata), against a recorded prompt-cache stream, alone and beside
// @jotty/otel.
// OpenLLMetry 0.27 patches Anthropic.Completions, which the 1.x SDK no longer has: the latest 0.x.
import * as anthropicModule from "anthropic-sdk0";
import { AnthropicInstrumentation } from "@traceloop/instrumentation-anthropic";
import { createAnthropic } from "ai-sdk-anthropic2";
import { streamText } from "ai5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sseFrames } from "@jotty/test-kit/fixtures";
import { sseHandler } from "@jotty/test-kit/replay-server";
import type { Report } from "@jotty/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { registered } from "./openai-peer-suite.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
let instrumentation: AnthropicInstrumentation;
beforeAll(() => {
  instrumentation = registered(new AnthropicInstrumentation({ traceContent: false }));
  instrumentation.manuallyInstrument(anthropicModule as never);
});
afterAll(() => instrumentation.disable());

const promptCache = () => sseHandler(sseFrames("anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt", "anthropic"));
const MODEL = "claude-sonnet-5";

// message_delta's cumulative usage: input 6 + cache write 3337 + cache read 6289, output 198.
const CALL = { calls: 1, inputTokens: 6 + 3337 + 6289, outputTokens: 198, cacheReadTokens: 6289 };

const viaOpenLlmetry = async (baseUrl: string) => {
  // The SDK's own telemetry off: OpenLLMetry's span is the only peer record.
  const client = new anthropicModule.Anthropic({ apiKey: "sk-ant-test", baseURL: baseUrl, maxRetries: 0, openTelemetry: false });
  for await (const _ of await client.messages.create({ model: MODEL, max_tokens: 1024, stream: true, messages: [{ role: "user", content: "Count" }] })) void _;
};

const viaAiSdk5 = async (baseUrl: string) => {
  const result = streamText({
    model: createAnthropic({ apiKey: "sk-ant-test", baseURL: `${baseUrl}/v1` })(MODEL),
    prompt: "Count",
    experimental_telemetry: { isEnabled: true, recordInputs: false, recordOutputs: false },
  });
  await result.consumeStream();
};

const figures = (report: Report) => ({
  ...report.llm,
  ms: 0,
  share: 0,
  criticalShare: 0,
  byModel: report.llm.byModel.map(({ p50Ms: _, p95Ms: __, ...row }) => row),
});

describe("Anthropic input without the cache, added back", () => {
  for (const [name, turn, peerSpan] of [
    ["OpenLLMetry's Anthropic instrumentation", viaOpenLlmetry, `chat ${MODEL}`],
    ["AI SDK 5 with @ai-sdk/anthropic 2", viaAiSdk5, "ai.streamText.doStream"],
  ] as const) {
    it(`${name}: the cache reads and writes counted in the input once, alone and beside @jotty/otel`, async () => {
      env.server.handle(promptCache());
      const alone = await env.run(turn, { jotty: false });
      env.server.handle(promptCache());
      const both = await env.run(turn, { jotty: true });
      expect(alone.spans.filter((s) => s.name === peerSpan)).toHaveLength(1);
      expect(alone.report.llm).toMatchObject(CALL);
      expect(alone.report.llm.byModel).toMatchObject([{ provider: "anthropic", ...CALL }]);
      expect(alone.report.llm.costUsd).toBeGreaterThan(0);
      expect(callWarnings(alone.report)).toEqual([]);
      expect(figures(both.report)).toEqual(figures(alone.report));
      expect(callWarnings(both.report)).toEqual([MERGED_WARNING(1)]);
    });
  }
});
