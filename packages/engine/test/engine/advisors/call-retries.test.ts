// retries of LLM calls: a call the client sent again after an error that is no rate limit (5xx,
// 408, 409, no answer), by provider and model, with the backoff before the retry.
import { describe, expect, it } from "vitest";
import { call, findings, root } from "./insight-spans.js";

const failed = (id: string, start: number, end: number, status: number, errorType: string) =>
  call({ id, parent: "R", start, end, error: true, status, errorType, retryAfterMs: 300 });
const answered = (id: string, start: number) => call({ id, parent: "R", start, end: start + 200, input: 100, output: 10 });

describe("retries of LLM calls", () => {
  it("a 500 and a 502 the client retried: their time and the backoff, naming the errors", () => {
    const [f] = findings([root(2000), failed("L1", 0, 40, 500, "server_error"), failed("L2", 340, 360, 502, "HTTP 502"), answered("L3", 660)], "retries");
    expect(f).toMatchObject({ id: "retries:openai gpt-4o", target: "openai gpt-4o", estimatedSavingMs: 660 });
    expect(f!.evidence).toBe(
      "2 call(s) failed and the client retried them (HTTP 502 ×1, server_error ×1); 600 ms of backoff before the retries, 60 ms in the failed calls",
    );
    expect(f!.fix).toContain("fall back to another deployment");
    expect(f!.examples).toEqual([{ traceId: "t1", spanId: "L1" }]);
  });

  it("stays silent on rate limits (their own finding), on errors clients do not retry, and on a failure nothing retried", () => {
    expect(findings([root(2000), failed("L1", 0, 40, 429, "rate_limit_exceeded"), answered("L2", 340)], "retries")).toEqual([]);
    expect(findings([root(2000), failed("L1", 0, 40, 400, "invalid_request_error"), answered("L2", 340)], "retries")).toEqual([]);
    expect(findings([root(2000), failed("L1", 0, 40, 500, "server_error")], "retries")).toEqual([]);
  });
});
