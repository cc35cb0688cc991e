// rate-limits: refused calls and the backoff before their retry, by provider and model.
import { describe, expect, it } from "vitest";
import { call, findings, report, root } from "./insight-spans.js";

describe("rate-limits", () => {
  // Two 429s (retry-after 500 ms), then the answer: the openai client's retries under one parent.
  const burst = [
    root(1400),
    call({ id: "L1", parent: "R", start: 0, end: 100, error: true, status: 429, errorType: "rate_limit_exceeded", retryAfterMs: 500 }),
    call({ id: "L2", parent: "R", start: 600, end: 700, error: true, status: 429, errorType: "rate_limit_exceeded", retryAfterMs: 500 }),
    call({ id: "L3", parent: "R", start: 1200, end: 1400, input: 100, output: 10 }),
  ];

  it("counts the refused calls and their backoff, and gives the backoff its own share of wall time", () => {
    const r = report(burst);
    const [f] = r.recommendations.filter((x) => x.kind === "rate-limits");
    // (100 + 500) + (100 + 500)
    expect(f).toMatchObject({ id: "rate-limits:openai gpt-4o", target: "openai gpt-4o", estimatedSavingMs: 1200 });
    expect(f!.evidence).toBe(
      "2 of 3 call(s) refused (rate_limit_exceeded ×2, retry-after 500–500 ms); 1000 ms of backoff before the retries, 200 ms in the refused calls",
    );
    expect(f!.examples).toEqual([{ traceId: "t1", spanId: "L1" }]);
    expect(r.timeDistribution).toEqual([
      { component: "LLM calls", ms: 400, share: 0.2857 },
      { component: "rate-limit waits (backoff after 429/529/503)", ms: 1000, share: 0.7143 },
      { component: "other (not LLM or tools)", ms: 0, share: 0 },
    ]);
  });

  it("an overloaded_error (Anthropic 529) is a rate limit too; the wait is capped at retry-after plus jitter", () => {
    const spans = [
      root(10_000),
      call({
        id: "L1",
        parent: "R",
        provider: "anthropic",
        model: "claude-haiku-4-5",
        start: 0,
        end: 50,
        error: true,
        status: 529,
        errorType: "overloaded_error",
        retryAfterMs: 1000,
      }),
      call({ id: "L2", parent: "R", provider: "anthropic", model: "claude-haiku-4-5", start: 9000, end: 9500, input: 10, output: 5 }),
    ];
    // 50 ms refused + min(8950, 1000 + 2000) ms
    expect(findings(spans, "rate-limits")).toMatchObject([{ target: "anthropic claude-haiku-4-5", estimatedSavingMs: 3050 }]);
  });

  it("stays silent on other errors and on runs without refusals", () => {
    const spans = [
      root(500),
      call({ id: "L1", parent: "R", start: 0, end: 100, error: true, status: 400, errorType: "invalid_request_error" }),
      call({ id: "L2", parent: "R", start: 200, end: 500, input: 10, output: 5 }),
    ];
    expect(findings(spans, "rate-limits")).toEqual([]);
    expect(report(spans).timeDistribution.map((d) => d.component)).toEqual(["LLM calls", "other (not LLM or tools)"]);
  });
});
