// @anthropic-ai/sdk's own OpenTelemetry span (`anthropic.messages.create`, on by default) alone
// and with @jotty/otel's llm_call nested under it: one call, the provider's usage, one price.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { usePeerEnv } from "./peer-run.js";
import { expectOneCall, callWarnings, MERGED_WARNING } from "./expect-call.js";

const env = usePeerEnv();

const ask =
  (stream: boolean, model = "claude-sonnet-4-5") =>
  async (baseUrl: string) => {
    const client = new Anthropic({ apiKey: "sk-ant-test", baseURL: baseUrl, maxRetries: 0 });
    const params = { model, max_tokens: 1024, messages: [{ role: "user" as const, content: "Hello" }] };
    if (!stream) return client.messages.create(params);
    for await (const _ of await client.messages.create({ ...params, stream: true })) void _;
    return undefined;
  };

// Usage as the recorded responses report it; prices of claude-sonnet-4-5: $3 / $15 per million.
const JSON_CALL = { provider: "anthropic", model: "claude-sonnet-4-5", inputTokens: 12, outputTokens: 29, cacheReadTokens: 0, costUsd: 0.000471 };
const STREAM_CALL = { ...JSON_CALL, outputTokens: 30, costUsd: 0.000486 };

describe("@anthropic-ai/sdk with its built-in telemetry", () => {
  for (const jotty of [false, true]) {
    const who = jotty ? "beside @jotty/otel" : "alone";
    it(`JSON, ${who}: one call with the response's usage and price`, async () => {
      env.server.handle(jsonHandler(fixtureBytes("anthropic/anthropic-text.json")));
      const { report, spans } = await env.run(ask(false), { jotty });
      expect(spans.filter((s) => s.name === "anthropic.messages.create")).toHaveLength(1);
      expect(spans.filter((s) => s.name === "llm_call")).toHaveLength(jotty ? 1 : 0);
      expectOneCall(report, JSON_CALL);
      expect(callWarnings(report)).toEqual(jotty ? [MERGED_WARNING(1)] : []);
    });

    it(`SSE, ${who}: one call with the stream's usage`, async () => {
      env.server.handle(sseHandler(sseFrames("anthropic/anthropic-text.chunks.txt", "anthropic")));
      const { report } = await env.run(ask(true), { jotty });
      expectOneCall(report, STREAM_CALL);
    });
  }

  it("cache reads and writes: counted once, as the provider reported them, and priced alike", async () => {
    // message_delta's cumulative usage: input 6 + cache write 3337 + cache read 6289, output 198;
    // claude-sonnet-5 is the model the recorded response names.
    const frames = sseFrames("anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt", "anthropic");
    const reports = [];
    for (const jotty of [false, true]) {
      env.server.handle(sseHandler(frames));
      reports.push((await env.run(ask(true, "claude-sonnet-5"), { jotty })).report);
    }
    for (const report of reports) {
      expect(report.llm).toMatchObject({ calls: 1, inputTokens: 6 + 3337 + 6289, outputTokens: 198, cacheReadTokens: 6289 });
    }
    expect(reports[0]!.llm.costUsd).toBeGreaterThan(0);
    expect(reports[1]!.llm.costUsd).toBe(reports[0]!.llm.costUsd);
  });
});
