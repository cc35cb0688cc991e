// The errors section's figures: a row per provider, model, error type and status; time lost =
// the failed calls plus the backoff before the retry, only after the failures clients retry,
// capped at retry-after + 2 s (a minute without one); most time lost first, at most `top` rows.
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/report-builder.js";
import { call, root } from "./advisors/insight-spans.js";

const failed = (id: string, start: number, end: number, status: number, errorType: string, retryAfterMs?: number) =>
  call({ trace: "t1", id, parent: "R", start, end, status, errorType, retryAfterMs, error: true });
const answered = (id: string, start: number) => call({ trace: "t1", id, parent: "R", start, end: start + 100, input: 100, output: 10 });

const errorsOf = (spans: ReturnType<typeof call>[], top?: number) => buildReport(spans, { source: { kind: "file", location: "test" }, top }).errors;

describe("errors section figures", () => {
  it("a retried 503 loses its backoff; a 400 the client does not retry loses only its own time", () => {
    const errors = errorsOf([
      root(2000),
      failed("E1", 0, 50, 503, "overloaded_error", 200),
      answered("A1", 250),
      failed("E2", 400, 420, 400, "invalid_request_error"),
      answered("A2", 900),
    ]);
    expect(errors).toEqual([
      {
        provider: "openai",
        model: "gpt-4o",
        type: "overloaded_error",
        httpStatus: 503,
        count: 1,
        lostMs: 250,
        backoffMs: 200,
        examples: [{ traceId: "t1", spanId: "E1" }],
      },
      {
        provider: "openai",
        model: "gpt-4o",
        type: "invalid_request_error",
        httpStatus: 400,
        count: 1,
        lostMs: 20,
        backoffMs: 0,
        examples: [{ traceId: "t1", spanId: "E2" }],
      },
    ]);
  });

  it("the backoff is capped: retry-after + 2 s, else a minute", () => {
    const capped = errorsOf([root(200_000), failed("E1", 0, 10, 429, "rate_limit_exceeded", 1000), answered("A1", 10_010)]);
    expect(capped![0]).toMatchObject({ backoffMs: 3000, lostMs: 3010 });
    const minute = errorsOf([root(200_000), failed("E1", 0, 10, 500, "server_error"), answered("A1", 90_010)]);
    expect(minute![0]).toMatchObject({ backoffMs: 60_000, lostMs: 60_010 });
  });

  it("a row per type and status, counted; at most `top` rows; none without a failed call", () => {
    const spans = [
      root(5000),
      ...[0, 1, 2].map((k) => failed(`E${k}`, k * 1000, k * 1000 + 30, 429, "rate_limit_exceeded", 10)),
      answered("A1", 3000),
      failed("X", 4000, 4100, 400, "invalid_request_error"),
    ];
    const errors = errorsOf(spans)!;
    expect(errors.map((e) => [e.type, e.count])).toEqual([
      ["rate_limit_exceeded", 3],
      ["invalid_request_error", 1],
    ]);
    // One example a trace (its smallest span id).
    expect(errors[0]!.examples).toEqual([{ traceId: "t1", spanId: "E0" }]);
    expect(errorsOf(spans, 1)).toHaveLength(1);
    expect(errorsOf([root(500), answered("A1", 0)])).toBeUndefined();
  });
});
