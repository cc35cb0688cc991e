// One-call traces (an app with no root span) chained into conversations by their prompt-prefix
// fingerprints: a retry resends the whole prompt, the next turn extends it; two runs side by side
// that open with the same prompt stay two conversations.
import { describe, expect, it } from "vitest";
import { call, report, root } from "./advisors/insight-spans.js";

/** A lone call (its own trace) with prefix chain `prefix` that asks for search with `args`. */
const lone = (
  trace: string,
  start: number,
  end: number,
  prefix: string[],
  args: string,
  extra: { status?: number; errorType?: string; retryAfterMs?: number } = {},
) =>
  call({
    trace,
    id: `${trace}-L`,
    start,
    end,
    input: extra.status === undefined ? 500 : 0,
    output: extra.status === undefined ? 20 : 0,
    cost: extra.status === undefined ? 0.001 : 0,
    prefix: prefix.map((h, k) => [h, 100 * (k + 1)]),
    toolCalls: extra.status === undefined ? [["search", args]] : [],
    error: extra.status !== undefined,
    ...extra,
  });

describe("conversations of one-call traces", () => {
  it("a 429, its retry and two more turns are one run: its tool loop and its backoff show", () => {
    const r = report([
      lone("t1", 0, 50, ["sys", "u1"], "", { status: 429, errorType: "rate_limit_exceeded", retryAfterMs: 100 }),
      lone("t2", 150, 250, ["sys", "u1"], "q"),
      lone("t3", 300, 400, ["sys", "u1", "a1", "r1"], "q"),
      lone("t4", 450, 550, ["sys", "u1", "a1", "r1", "a2", "r2"], "q"),
    ]);
    const loop = r.recommendations.find((f) => f.kind === "tool-loop")!;
    expect(loop.evidence).toMatch(/^1 run\(s\) asked for search with the same arguments up to 3× \(2 repeat\(s\)\)/);
    expect(loop.estimatedSavingMs).toBe(200);
    const limits = r.recommendations.find((f) => f.kind === "rate-limits")!;
    // The refused call (50 ms) and the 100 ms until its retry.
    expect(limits.estimatedSavingMs).toBe(150);
    expect(limits.evidence).toMatch(/^1 of 4 call\(s\) refused .*; 100 ms of backoff/);
    expect(r.errors).toEqual([
      {
        provider: "openai",
        model: "gpt-4o",
        type: "rate_limit_exceeded",
        httpStatus: 429,
        count: 1,
        lostMs: 150,
        backoffMs: 100,
        examples: [{ traceId: "t1", spanId: "t1-L" }],
      },
    ]);
  });

  it("two runs side by side with the same prompts stay apart (no loop of 3 in either)", () => {
    const run = (p: string, at: number) => [lone(`${p}1`, at, at + 80, ["sys", "u1"], "q"), lone(`${p}2`, at + 100, at + 180, ["sys", "u1", "a1", "r1"], "q")];
    const r = report([...run("a", 0), ...run("b", 40)]);
    expect(r.recommendations.filter((f) => f.kind === "tool-loop")).toEqual([]);
  });

  it("the next run of the same agent starts a new conversation", () => {
    const run = (p: string, at: number) => [lone(`${p}1`, at, at + 80, ["sys", "u1"], "q"), lone(`${p}2`, at + 100, at + 180, ["sys", "u1", "a1", "r1"], "q")];
    // Chained as one, the second run would make q asked 4 times.
    const r = report([...run("a", 0), ...run("b", 1000)]);
    expect(r.recommendations.filter((f) => f.kind === "tool-loop")).toEqual([]);
  });

  it("traces of several calls are runs of their own, never chained", () => {
    const inRun = (trace: string, at: number) => [
      root(at + 200, trace),
      { ...lone(trace, at, at + 80, ["sys", "u1"], "q"), spanId: `${trace}-L1`, parentSpanId: "R" },
      { ...lone(trace, at + 100, at + 180, ["sys", "u1", "a1", "r1"], "q"), spanId: `${trace}-L2`, parentSpanId: "R" },
    ];
    // Chained, q would be asked 4 times.
    const r = report([...inRun("t1", 0), ...inRun("t2", 1000)]);
    expect(r.llm.calls).toBe(4);
    expect(r.recommendations.filter((f) => f.kind === "tool-loop")).toEqual([]);
  });

  it("a large tool result carried through a conversation is one result, carried by each call", () => {
    const carries = (trace: string, start: number, prefix: string[], results: number) =>
      call({
        trace,
        id: `${trace}-L`,
        start,
        end: start + 80,
        input: 20_000,
        output: 20,
        cost: 0.01,
        prefix: prefix.map((h, k) => [h, 100 * (k + 1)]),
        toolResults: Array.from({ length: results }, () => ["search", 60_000] as [string, number]),
      });
    const r = report([carries("t1", 0, ["sys", "u1", "a1", "r1"], 1), carries("t2", 100, ["sys", "u1", "a1", "r1", "a2", "r2"], 2)]);
    const oversized = r.recommendations.find((f) => f.kind === "oversized-tool-results")!;
    expect(oversized.evidence).toMatch(/^2 result\(s\) of 16 KB or more \(largest 60 KB\) carried in 3 request\(s\)/);
  });

  it("the same prompt asked again after an answer is a new run, not a retry (no loop, three runs)", () => {
    const r = report([0, 100, 200].map((at, k) => lone(`t${k}`, at, at + 80, ["sys", "u1"], "q")));
    expect(r.recommendations.filter((f) => f.kind === "tool-loop")).toEqual([]);
    expect(r.runs).toEqual({ count: 3, succeeded: 3, successRate: 1 });
  });

  it("a conversation is one run, succeeded when its last call did", () => {
    const r = report([
      lone("t1", 0, 50, ["sys", "u1"], "", { status: 429, errorType: "rate_limit_exceeded", retryAfterMs: 100 }),
      lone("t2", 150, 250, ["sys", "u1"], "q"),
      lone("t3", 300, 400, ["sys", "u1", "a1", "r1"], "q2"),
    ]);
    expect(r.runs).toEqual({ count: 1, succeeded: 1, successRate: 1 });
  });
});
