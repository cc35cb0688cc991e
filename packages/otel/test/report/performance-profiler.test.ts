import { sections } from "@jotty/analyzer/text";
import { beforeEach, describe, expect, it } from "vitest";
import { llmCall } from "../../src/llm/llm-call.js";
import { toolCall } from "../../src/llm/tool-call.js";
import { PerformanceProfiler } from "../../src/report/performance-profiler.js";
import { profile } from "../../src/segments/profile.js";
import type { SegmentTreeNode } from "../../src/report/segment-tree.js";
import { installHarness } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An agent run: plan with two parallel LLM calls, a tool call, then a summary LLM call. */
async function agentRun(): Promise<void> {
  await profile("agent", async () => {
    await profile("plan", () =>
      Promise.all(
        [1, 2].map((n) =>
          llmCall({ provider: "openai", model: "gpt-4o-mini" }, async (call) => {
            await tick();
            call.setUsage({ inputTokens: 1000 * n, outputTokens: 100 * n, cacheReadTokens: 100 });
          }),
        ),
      ),
    );
    await toolCall("search", async () => tick());
    await profile("summarize", () =>
      llmCall({ provider: "anthropic", model: "claude-haiku-4-5" }, async (call) => {
        await tick();
        call.setUsage({ inputTokens: 500, outputTokens: 50 });
      }),
    );
  });
}

const shape = (nodes: SegmentTreeNode[]): unknown =>
  nodes
    .map((n) => ({ name: n.name, count: n.count, children: shape(n.children) }))
    .sort((a, b) => (a as { name: string }).name.localeCompare((b as { name: string }).name));

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function flatten(nodes: SegmentTreeNode[]): SegmentTreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

describe("PerformanceProfiler", () => {
  it("reports the merged segment tree, per-name stats, LLM time, tokens and cost from the engine", async () => {
    using profiler = new PerformanceProfiler();
    await agentRun();
    await agentRun();
    const report = profiler.getReport();

    expect(report.spans).toBe(14);
    expect(report.report.traces).toBe(2);
    expect(shape(report.tree)).toEqual([
      {
        name: "agent",
        count: 2,
        children: [
          { name: "execute_tool search", count: 2, children: [] },
          { name: "plan", count: 2, children: [{ name: "llm_call", count: 4, children: [] }] },
          { name: "summarize", count: 2, children: [{ name: "llm_call", count: 2, children: [] }] },
        ],
      },
    ]);

    const byName = new Map(report.segments.map((s) => [s.name, s]));
    expect(byName.get("agent")?.count).toBe(2);
    expect(byName.get("llm_call")?.count).toBe(6);
    const llmStats = byName.get("llm_call")!;
    expect(llmStats.meanMs).toBeCloseTo(llmStats.totalMs / 6, 9);
    expect(llmStats.p50Ms).toBeLessThanOrEqual(llmStats.p95Ms);
    expect(llmStats.p95Ms).toBeLessThanOrEqual(llmStats.maxMs);

    // Shares come from self time: they add up to 100 % and never past it.
    expect(sum(report.segments.map((s) => s.selfShare))).toBeCloseTo(1, 3); // engine rounds each share to 4 places
    expect(sum(flatten(report.tree).map((n) => n.selfShare))).toBeCloseTo(1, 9);
    // Wall time is the engine's: the sum of each trace's extent.
    const extents = new Map<string, { start: number; end: number }>();
    for (const span of profiler.spans()) {
      const e = extents.get(span.traceId) ?? { start: Infinity, end: -Infinity };
      extents.set(span.traceId, { start: Math.min(e.start, span.startNs), end: Math.max(e.end, span.endNs) });
    }
    expect(report.wallMs).toBeCloseTo(sum([...extents.values()].map((e) => (e.end - e.start) / 1e6)), 2);

    // LLM: union of intervals, tokens and cost summed from the spans.
    const llmSpans = h.spans().filter((s) => s.name === "llm_call");
    expect(report.llm.calls).toBe(6);
    expect(report.llm.inputTokens).toBe(2 * (1000 + 2000 + 500));
    expect(report.llm.outputTokens).toBe(2 * (100 + 200 + 50));
    expect(report.llm.cacheReadTokens).toBe(2 * 200);
    expect(report.llm.costUsd).toBeCloseTo(sum(llmSpans.map((s) => Number(s.attributes["gen_ai.usage.cost"]))), 12);
    expect(report.llm.ms).toBeLessThanOrEqual(report.wallMs);
    expect(report.llm.share).toBeGreaterThan(0);
    expect(report.llm.share).toBeLessThanOrEqual(1);
    expect(report.llm.byModel.map((m) => `${m.provider}/${m.model}:${m.calls}`).sort()).toEqual(["anthropic/claude-haiku-4-5:2", "openai/gpt-4o-mini:4"]);
    expect(report.report.source).toEqual({ kind: "in-process", location: "PerformanceProfiler" });
  });

  it("limits the per-name list to top N", async () => {
    using profiler = new PerformanceProfiler();
    await agentRun();
    expect(profiler.getReport({ top: 2 }).segments).toHaveLength(2);
    expect(profiler.getReport().segments.length).toBeGreaterThan(2);
  });

  it("prints a readable text report", async () => {
    using profiler = new PerformanceProfiler();
    await agentRun();
    let written = "";
    const text = profiler.printReport({ write: (t) => (written += t) });
    expect(written).toBe(text);
    expect(text).toMatch(/^Performance report \(PerformanceProfiler\)\n1 traces, 7 spans · /);
    expect(text).toContain("Segment tree");
    expect(text).toMatch(/\n {6}llm_call +2 /); // agent > plan > llm_call, merged
    expect(text).toContain("3 LLM calls");
    expect(text).toContain("Bottlenecks");
    // One renderer: the analyzer's sections, rows and number formats ("12 %", not "12.3%").
    expect(text).not.toMatch(/\d%/);
    const { report } = profiler.getReport();
    for (const section of sections(report).filter((s) => s.title === "Operations" || s.title === "LLM by model")) {
      expect(text).toContain(`\n${section.title}\n`);
      for (const row of section.rows) expect(text).toMatch(new RegExp(`\\n {2}${row.map(escapeRegExp).join(" +")}\\n`));
    }
  });

  it("collects only while attached; reset() forgets; maxSpans bounds memory with a warning", async () => {
    const profiler = new PerformanceProfiler({ maxSpans: 3 });
    profile("a", () => 1);
    profiler.stop();
    profile("after-stop", () => 1);
    expect(profiler.spans().map((s) => s.name)).toEqual(["a"]);
    profiler.reset();
    expect(profiler.getReport().spans).toBe(0);
    expect(profiler.printReport({ write: () => {} })).toContain("No spans ended");

    const bounded = new PerformanceProfiler({ maxSpans: 3 });
    for (let i = 0; i < 5; i++) profile(`s${i}`, () => i);
    bounded.stop();
    const report = bounded.getReport();
    expect(report.spans).toBe(3);
    expect(report.droppedSpans).toBe(2);
    expect(report.report.warnings).toContain("2 spans not kept (maxSpans 3); the report covers the first ones");
  });
});
