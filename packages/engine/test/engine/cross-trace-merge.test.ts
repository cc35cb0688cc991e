// Duplicates across traces: a peer's inference span in its trace, and our llm_call (with its
// HTTP span) at the root of a trace of its own because the peer did not make its span current.
import { describe, expect, it } from "vitest";
import { buildReport, createReportBuilder } from "../../src/engine/index.js";
import type { Span } from "../../src/model.js";
import { crossTraceMergedWarning } from "../../src/engine/warnings.js";
import { llm, span } from "@jotty/test-kit/spans";

const report = (spans: Span[]) => buildReport(spans, { source: { kind: "file", location: "t.json" }, prices: null });

/** The peer's run: a chain with one LLM span (OpenInference names), model as the response names it. */
const peerRun = (trace: string, start: number, usage: { input: number; output: number }) => [
  span({ trace, id: `${trace}-chain`, name: "research", start, end: start + 100, attrs: { "openinference.span.kind": "CHAIN" } }),
  span({
    trace,
    id: `${trace}-llm`,
    parent: `${trace}-chain`,
    name: "ChatOpenAI",
    start: start + 10,
    end: start + 60,
    attrs: {
      "openinference.span.kind": "LLM",
      "llm.provider": "openai",
      "llm.model_name": "gpt-4.1-nano-2025-04-14",
      "llm.token_count.prompt": usage.input,
      "llm.token_count.completion": usage.output,
    },
  }),
];

/** Our llm_call, root of its own trace, with its HTTP span; requested model and the served one. */
const ours = (trace: string, start: number, end: number, usage: { input: number; output: number }) =>
  [
    llm({ trace, id: `${trace}-call`, model: "gpt-4.1-nano", start, end, input: usage.input, output: usage.output }),
    span({ trace, id: `${trace}-http`, parent: `${trace}-call`, name: "POST", start: start + 1, end: end - 1 }),
  ].map((s) => (s.name === "llm_call" ? { ...s, attributes: { ...s.attributes, "gen_ai.response.model": "gpt-4.1-nano-2025-04-14" } } : s));

const figures = (r: ReturnType<typeof report>) => ({ traces: r.traces, calls: r.llm.calls, input: r.llm.inputTokens, output: r.llm.outputTokens });

describe("duplicates across traces", () => {
  const usage = { input: 16, output: 363 };

  it("our llm_call at the root of its own trace, within the peer's span with the same model and usage, is the peer's call; in either order of arrival", () => {
    const alone = report(peerRun("peer", 0, usage));
    const spans = [...peerRun("peer", 0, usage), ...ours("mine", 12, 58, usage)];
    for (const order of [spans, [...spans].reverse()]) {
      const r = report(order);
      expect({ ...figures(r), traces: 1 }).toEqual(figures(alone));
      expect(figures(r)).toEqual({ traces: 2, calls: 1, input: 16, output: 363 });
      expect(r.warnings).toContain(crossTraceMergedWarning(1));
    }
  });

  it("within the clock tolerance, still one call; further out, or with other usage, two", () => {
    expect(report([...peerRun("peer", 0, usage), ...ours("mine", 9.5, 60.5, usage)]).llm.calls).toBe(1);
    expect(report([...peerRun("peer", 0, usage), ...ours("mine", 5, 58, usage)]).llm.calls).toBe(2);
    const other = report([...peerRun("peer", 0, usage), ...ours("mine", 12, 58, { input: 16, output: 362 })]);
    expect(other.llm.calls).toBe(2);
    expect(other.warnings.some((w) => w.includes("another trace"))).toBe(false);
  });

  it("one instrumentation's own calls are never merged: two of our root calls with the same usage, one within the other, stay two", () => {
    const r = report([...ours("a", 0, 100, usage), ...ours("b", 10, 50, usage)]);
    expect(figures(r)).toEqual({ traces: 2, calls: 2, input: 32, output: 726 });
  });

  it("each peer call takes one duplicate per instrumentation; two peer runs with equal usage each keep their own", () => {
    const r = report([...peerRun("p1", 0, usage), ...peerRun("p2", 200, usage), ...ours("m1", 12, 58, usage), ...ours("m2", 212, 258, usage)]);
    expect(figures(r)).toEqual({ traces: 4, calls: 2, input: 32, output: 726 });
    expect(r.warnings).toContain(crossTraceMergedWarning(2));
  });

  it("both roots of their own traces: the shorter, within the longer, is the longer's call", () => {
    const peerRoot = span({
      trace: "peer",
      id: "g",
      name: "OpenAI.chat.completions",
      start: 0,
      end: 100,
      attrs: {
        "langfuse.observation.type": "generation",
        "langfuse.observation.model.name": "gpt-4.1-nano",
        "gen_ai.system": "openai",
        "langfuse.observation.usage_details": '{"input":16,"output":363}',
      },
    });
    const r = report([...ours("mine", 10, 90, usage), peerRoot]);
    expect(figures(r)).toEqual({ traces: 2, calls: 1, input: 16, output: 363 });
    expect(r.llm.byModel[0]!.model).toBe("gpt-4.1-nano");
  });

  it("a framework's run exported apart: its call that our llm_call in the app's trace recorded is folded, the run's other spans stay", () => {
    const app = [span({ trace: "app", id: "turn", name: "handle request", start: 0, end: 120 }), { ...ours("app", 12, 58, usage)[0]!, parentSpanId: "turn" }];
    const alone = report(peerRun("peer", 0, usage));
    for (const order of [
      [...app, ...peerRun("peer", 0, usage)],
      [...peerRun("peer", 0, usage), ...app],
    ]) {
      const r = report(order);
      expect(figures(r)).toEqual({ traces: 2, calls: 1, input: 16, output: 363 });
      expect(r.runs.count).toBe(alone.runs.count + 1);
      expect(r.warnings).toContain(crossTraceMergedWarning(1));
    }
  });

  it("a trace flushed early is still matched at finish", () => {
    const builder = createReportBuilder({ source: { kind: "file", location: "t.json" }, prices: null });
    for (const s of ours("mine", 12, 58, usage)) builder.add(s);
    builder.flushTrace("mine");
    for (const s of peerRun("peer", 0, usage)) builder.add(s);
    expect(figures(builder.finish())).toEqual({ traces: 2, calls: 1, input: 16, output: 363 });
  });
});
