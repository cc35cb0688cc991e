// prompt-caching on the real `@anthropic-ai/sdk` client: the same 6,000-token system prompt on
// every call of a conversation. Without cache_control the answers read nothing from the cache
// and the finding names Anthropic's fix; with a cache_control breakpoint on the system prompt
// the first call writes it and the later ones read it back, and the finding stays silent.
import Anthropic from "@anthropic-ai/sdk";
import type { Report } from "@jotty/engine";
import { buildReport } from "@jotty/engine/engine";
import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { toNeutralSpan } from "../../src/report/to-neutral-span.js";
import { useCaptureEnv } from "../capture/helpers/capture-env.js";
import { anthropicAnswer, tokensOf } from "./recorded-shapes.js";

const env = useCaptureEnv((baseUrl) => new Anthropic({ apiKey: "sk-ant-canary-insights", baseURL: baseUrl, maxRetries: 0 }));

const SYSTEM =
  "You are a support agent for a bicycle shop. Answer from the manual below.\n" + "Manual: tighten the stem bolts to 5 Nm, in a cross pattern. ".repeat(400);
const systemTokens = tokensOf(JSON.stringify(SYSTEM));

function serve(): void {
  let calls = 0;
  env.server.handle((_req, res, body) => {
    const cacheable = body.includes('"cache_control"');
    const total = tokensOf(body);
    const first = calls++ === 0;
    const cacheWrite = cacheable && first ? systemTokens : 0;
    const cacheRead = cacheable && !first ? systemTokens : 0;
    const answer = anthropicAnswer(
      { text: "Tighten them to 5 Nm.", inputTokens: total - cacheWrite - cacheRead, outputTokens: 12, cacheRead, cacheWrite },
      `msg_insights_${calls}`,
    );
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
}

async function conversation(withCacheControl: boolean): Promise<Report> {
  serve();
  const system: Anthropic.TextBlockParam[] = [{ type: "text", text: SYSTEM, ...(withCacheControl ? { cache_control: { type: "ephemeral" as const } } : {}) }];
  await trace.getTracer("support-app").startActiveSpan("support chat", async (root) => {
    const messages: Anthropic.MessageParam[] = [];
    for (const question of ["How tight are the stem bolts?", "In what order?", "And the seat post?"]) {
      messages.push({ role: "user", content: question });
      const reply = await env.client.messages.create({ model: "claude-haiku-4-5", max_tokens: 1024, system, messages });
      messages.push({
        role: "assistant",
        content: reply.content.map((b) => (b.type === "text" ? { type: "text" as const, text: b.text } : { type: "text" as const, text: "" })),
      });
    }
    root.end();
  });
  await env.tracing.llmSpansEnded(3);
  return buildReport(env.tracing.spans().map(toNeutralSpan), { source: { kind: "in-process", location: "test" } });
}

describe("prompt-caching with @anthropic-ai/sdk", () => {
  it("cache_control absent: the resent system prompt is a finding with Anthropic's fix and a saving at the cached-read price", async () => {
    const report = await conversation(false);
    const found = report.recommendations.filter((r) => r.kind === "prompt-caching");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: "prompt-caching:anthropic claude-haiku-4-5", target: "anthropic claude-haiku-4-5" });
    expect(found[0]!.fix).toContain("cache_control");
    expect(found[0]!.evidence).toMatch(/^2 of 3 call\(s\) resent a prefix/);
    // 2 calls × about 6,000 tokens × ($1 - $0.10) per million
    expect(found[0]!.estimatedSavingUsd).toBeGreaterThan(2 * 6_000 * 0.9e-6 * 0.9);
    expect(found[0]!.estimatedSavingUsd).toBeLessThan(2 * 6_600 * 0.9e-6);
    expect(found[0]!.perRun.estimatedSavingUsd).toBe(found[0]!.estimatedSavingUsd); // one run
  });

  it("cache_control present: the prefix is read back from the cache, no finding", async () => {
    const report = await conversation(true);
    expect(report.llm.cacheReadTokens).toBe(2 * systemTokens);
    expect(report.recommendations.filter((r) => r.kind === "prompt-caching")).toEqual([]);
  });
});
