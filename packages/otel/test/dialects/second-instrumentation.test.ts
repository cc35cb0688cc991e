// Adding a second instrumentation to the same agent changes no figure of the report: the same
// two-step run (@jotty/otel's runSteps, each step one Anthropic call, the capture on) with the
// Anthropic SDK's own telemetry off and then on. Time figures are left out of the comparison:
// they differ between any two runs (the merged call takes the outer span's time, by design).
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { runSteps } from "../../src/steps/index.js";
import type { Report } from "@jotty/engine";
import { agentResponses } from "./ai-sdk-agent.js";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { llmTotals, usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();

const research = (sdkTelemetry: boolean) => async (baseUrl: string) => {
  const client = new Anthropic({ apiKey: "sk-ant-test", baseURL: baseUrl, maxRetries: 0, ...(sdkTelemetry ? {} : { openTelemetry: false }) });
  const ask = (content: string) => client.messages.create({ model: "claude-haiku-4-5", max_tokens: 1024, messages: [{ role: "user", content }] });
  const run = await runSteps(
    "research",
    [
      { name: "plan", run: () => ask("Plan the forecast") },
      { name: "answer", run: () => ask("Answer with the fetched page") },
    ],
    { progress: "off" },
  );
  if (!run.ok) throw new Error("the run failed");
};

/** Every figure of the report that is not a time (warnings about timing are not figures either). */
function figures(report: Report) {
  return {
    traces: report.traces,
    llm: {
      ...llmTotals(report),
      byModel: report.llm.byModel.map(({ p50Ms: _, p95Ms: __, ...row }) => row),
    },
    steps: report.steps.map(({ meanMs: _, p95Ms: __, share: ___, ...row }) => row),
    runs: report.runs,
    recommendations: report.recommendations.map(({ estimatedSavingMs: _, perRun: __, examples: ___, ...row }) => row),
    usageWarnings: callWarnings(report).filter((w) => w !== MERGED_WARNING(2)),
  };
}

describe("a second instrumentation on the same run", () => {
  it("leaves calls, tokens, cost, by-model rows, steps, runs and recommendations unchanged", async () => {
    env.server.handle(agentResponses());
    const alone = await env.run(research(false), { jotty: true, llmCalls: 2 });
    env.server.handle(agentResponses());
    const both = await env.run(research(true), { jotty: true, llmCalls: 2 });

    expect(alone.spans.filter((s) => s.name === "anthropic.messages.create")).toHaveLength(0);
    expect(both.spans.filter((s) => s.name === "anthropic.messages.create")).toHaveLength(2);
    expect(figures(both.report)).toEqual(figures(alone.report));
    expect(callWarnings(both.report)).toEqual([MERGED_WARNING(2)]);
    // What the figures are: the two recorded responses, and the context growing between steps.
    expect(figures(alone.report).llm).toMatchObject({ calls: 2, inputTokens: 1151 + 28638, outputTokens: 87 + 365, costUsd: 0.092975 });
    expect(figures(alone.report).steps.map((s) => [s.name, s.meanInputTokens])).toEqual([
      ["plan", 1151],
      ["answer", 28638],
    ]);
    expect(figures(alone.report).recommendations.map((r) => r.kind)).toContain("compress-context");
  });
});
