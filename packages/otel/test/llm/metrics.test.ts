import type { Attributes } from "@opentelemetry/api";
import type { DataPoint, Histogram, MetricData } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { DURATION_BUCKETS, TOKEN_BUCKETS } from "../../src/llm/metrics.js";
import { installHarness } from "../otel-harness.js";

const h = installHarness();

async function metricsByName(): Promise<Map<string, MetricData>> {
  const collected = await h.collectMetrics();
  const scope = collected.scopeMetrics.find((s) => s.scope.name === "@jotty/otel");
  return new Map((scope?.metrics ?? []).map((m) => [m.descriptor.name, m]));
}

const histogramPoints = (m: MetricData | undefined) => (m?.dataPoints ?? []) as DataPoint<Histogram>[];
const pointWith = <T>(points: DataPoint<T>[], attributes: Attributes) =>
  points.filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));

describe("GenAI client metrics from llm_call", () => {
  it("records duration, token usage by type, time to first chunk and cost with the conventions' buckets", async () => {
    await llmCall({ provider: "openai", model: "gpt-4o-mini", serverAddress: "api.openai.com", serverPort: 443, stream: true }, async (call) => {
      call.setUsage({ inputTokens: 1000, outputTokens: 100, cacheReadTokens: 200 });
      call.setResponse({ model: "gpt-4o-mini-2024-07-18" });
      call.setTimeToFirstChunk(0.05);
    });
    await expect(
      llmCall({ provider: "openai", model: "gpt-4o-mini" }, async () => {
        throw new SyntaxError("bad json");
      }),
    ).rejects.toThrow("bad json");

    const byName = await metricsByName();
    const base = {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
    };

    const duration = byName.get("gen_ai.client.operation.duration");
    expect(duration?.descriptor.unit).toBe("s");
    const ok = pointWith(histogramPoints(duration), {
      ...base,
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "server.address": "api.openai.com",
      "server.port": 443,
    });
    expect(ok).toHaveLength(1);
    expect(ok[0]!.value.count).toBe(1);
    expect(ok[0]!.value.buckets.boundaries).toEqual(DURATION_BUCKETS);
    expect(ok[0]!.attributes["error.type"]).toBeUndefined();
    const failed = pointWith(histogramPoints(duration), { ...base, "error.type": "SyntaxError" });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.value.count).toBe(1);

    const tokens = byName.get("gen_ai.client.token.usage");
    expect(tokens?.descriptor.unit).toBe("{token}");
    const input = pointWith(histogramPoints(tokens), { ...base, "gen_ai.token.type": "input" });
    const output = pointWith(histogramPoints(tokens), { ...base, "gen_ai.token.type": "output" });
    expect(input.map((p) => p.value.sum)).toEqual([1000]);
    expect(output.map((p) => p.value.sum)).toEqual([100]);
    expect(input[0]!.value.buckets.boundaries).toEqual(TOKEN_BUCKETS);

    const ttfc = histogramPoints(byName.get("gen_ai.client.operation.time_to_first_chunk"));
    expect(ttfc.map((p) => p.value.sum)).toEqual([0.05]);
    expect(ttfc[0]!.value.buckets.boundaries).toEqual(DURATION_BUCKETS);

    const cost = byName.get("jotty.llm.cost");
    expect(cost?.descriptor.unit).toBe("USD");
    const costPoints = cost!.dataPoints as DataPoint<number>[];
    expect(costPoints).toHaveLength(1);
    // gpt-4o-mini: 800 uncached at $0.15/M, 200 cached at $0.075/M, 100 out at $0.60/M
    expect(costPoints[0]!.value).toBeCloseTo((800 * 0.15 + 200 * 0.075 + 100 * 0.6) / 1e6, 12);
    const costOnSpan = h.spans().find((s) => s.attributes["gen_ai.usage.cost"] !== undefined);
    expect(costOnSpan?.attributes["gen_ai.usage.cost"]).toBe(costPoints[0]!.value);
  });
});
