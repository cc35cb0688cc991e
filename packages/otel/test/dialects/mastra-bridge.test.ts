// Mastra through @mastra/otel-bridge, alone and beside @jotty/otel: the per-run `chat <model>`
// span sums its requests' usage (a roll-up); each model_step is a request, with its usage in the
// raw response body (generate) or nowhere (stream); provider ids like `openai.responses`.
import { Observability } from "@mastra/observability";
import { OtelBridge } from "@mastra/otel-bridge";
import { describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { GENERATE_TRUTH, generateResponses, generateTurn, STREAM_TRUTH, streamResponses, streamTurn } from "./mastra-agents.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();
const bridged = () => new Observability({ configs: { default: { serviceName: "mastra-test", bridge: new OtelBridge() } } });

const figures = (r: Report) => ({
  calls: r.llm.calls,
  inputTokens: r.llm.inputTokens,
  outputTokens: r.llm.outputTokens,
  cacheReadTokens: r.llm.cacheReadTokens,
  costUsd: r.llm.costUsd,
  byModel: r.llm.byModel.map((m) => [m.provider, m.model, m.calls]),
  runs: r.runs.count,
});

describe("Mastra with its OpenTelemetry bridge", () => {
  it("generate(): the three requests are the calls, with the usage of their raw responses; the run spans are roll-ups; the same beside @jotty/otel", async () => {
    env.server.handle(generateResponses());
    const alone = await env.run((url) => generateTurn(url, bridged()), { jotty: false });
    env.server.handle(generateResponses());
    const both = await env.run((url) => generateTurn(url, bridged()), { jotty: true, llmCalls: 3 });

    // Mastra's own roll-ups: the weather run's two requests summed.
    const rollup = alone.spans.find((s) => s.name === "chat claude-haiku-4-5")!;
    expect([rollup.attributes["gen_ai.usage.input_tokens"], rollup.attributes["gen_ai.provider.name"]]).toEqual([1151 + 28638, "anthropic.messages"]);

    expect(figures(alone.report)).toEqual({
      ...GENERATE_TRUTH,
      byModel: [
        ["anthropic", "claude-haiku-4-5", 2],
        ["openai", "gpt-5-mini", 1],
      ],
      runs: 2,
    });
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(alone.report)).toEqual([]);
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(3)]);
  });

  it("stream(): no request records its usage, so the run's roll-up stands for its two calls; beside @jotty/otel each call has its own", async () => {
    env.server.handle(streamResponses());
    const alone = await env.run((url) => streamTurn(url, bridged()), { jotty: false });
    env.server.handle(streamResponses());
    const both = await env.run((url) => streamTurn(url, bridged()), { jotty: true, llmCalls: 2 });

    const expected = { ...STREAM_TRUTH, byModel: [["anthropic", "claude-haiku-4-5", 2]], runs: 1 };
    expect(figures(alone.report)).toEqual(expected);
    expect(figures(both.report)).toEqual(expected);
    expect(both.report.llm.byModel[0]!.p50Ms).toBeLessThanOrEqual(alone.report.llm.byModel[0]!.p50Ms);
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(2)]);
  });
});
