import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runSteps } from "../../src/steps/index.js";
import { referenceTimers } from "./reference-timer.js";
import { installTracing } from "./tracing.js";

describe("step runner spans", () => {
  let tracing: ReturnType<typeof installTracing>;
  beforeAll(() => {
    tracing = installTracing();
  });
  afterAll(() => tracing.uninstall());
  beforeEach(() => tracing.exporter.reset());

  const byName = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
  const parentId = (s: ReadableSpan) => s.parentSpanContext?.spanId;

  it("makes an invoke_workflow root, a span per step and a span per attempt, with their attributes", async () => {
    // Plain timers for each attempt's deadline, armed alongside: the timed-out attempt ends with its own.
    const reference = referenceTimers("attempt-start", (e) => (e.type === "attempt-start" && e.step === "analyze" ? e.timeoutMs : undefined));
    const report = await runSteps(
      "research",
      [
        { name: "gather", run: () => trace.getTracer("test").startActiveSpan("inner", (s) => s.end()) },
        {
          name: "analyze",
          timeoutMs: 60,
          run: ({ attempt, signal }) =>
            attempt === 1 ? new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))) : "analysis",
        },
      ],
      { maxRetriesPerStep: 1, backoff: { baseMs: 7, jitter: 0 }, progress: "off", onProgress: reference.onProgress },
    );
    const analyzeReferenceMs = (await reference.delays())[0]!; // analyze's first attempt, the one that timed out
    expect(report.ok).toBe(true);
    const spans = tracing.exporter.getFinishedSpans();

    const [root] = byName(spans, "invoke_workflow research");
    expect(root).toBeDefined();
    expect(root!.kind).toBe(SpanKind.INTERNAL);
    expect(root!.attributes).toEqual({ "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "research" });
    expect(root!.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentId(root!)).toBeUndefined();

    const [gather] = byName(spans, "gather");
    const [analyze] = byName(spans, "analyze");
    expect(parentId(gather!)).toBe(root!.spanContext().spanId);
    expect(parentId(analyze!)).toBe(root!.spanContext().spanId);
    expect(gather!.attributes).toEqual({
      "jotty.step.name": "gather",
      "jotty.step.index": 0,
      "jotty.step.timeout_ms": 25_000,
      "jotty.step.attempts": 1,
      "jotty.step.outcome": "ok",
    });
    expect(analyze!.attributes).toEqual({
      "jotty.step.name": "analyze",
      "jotty.step.index": 1,
      "jotty.step.timeout_ms": 60,
      "jotty.step.attempts": 2,
      "jotty.step.outcome": "ok",
    });
    expect(analyze!.events.map((e) => [e.name, e.attributes])).toEqual([
      ["jotty.step.timeout", { "jotty.step.attempt": 1, "jotty.step.timeout_ms": 60 }],
      ["jotty.step.retry", { "jotty.step.attempt": 2, "jotty.step.backoff_ms": 7 }],
    ]);

    const attempts = spans.filter((s) => s.name.startsWith("attempt "));
    const analyzeAttempts = attempts.filter((s) => parentId(s) === analyze!.spanContext().spanId);
    expect(analyzeAttempts.map((s) => [s.name, s.attributes])).toEqual([
      ["attempt 1", { "jotty.step.attempt": 1, "jotty.step.outcome": "timeout", "error.type": "timeout" }],
      ["attempt 2", { "jotty.step.attempt": 2, "jotty.step.outcome": "ok" }],
    ]);
    expect(analyzeAttempts[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(analyzeAttempts[0]!.events.map((e) => e.name)).toEqual(["jotty.step.timeout"]);
    // the timed-out attempt's span lasts until its deadline
    const attemptMs = (s: ReadableSpan) => s.duration[0] * 1e3 + s.duration[1] / 1e6;
    expect(attemptMs(analyzeAttempts[0]!)).toBeGreaterThanOrEqual(59);
    expect(attemptMs(analyzeAttempts[0]!) - analyzeReferenceMs).toBeLessThan(50);

    // spans the step makes are children of its attempt
    const gatherAttempt = attempts.find((s) => parentId(s) === gather!.spanContext().spanId)!;
    const [inner] = byName(spans, "inner");
    expect(parentId(inner!)).toBe(gatherAttempt.spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("marks failed attempts, steps and the workflow as errors with error.type", async () => {
    await runSteps("failing", [{ name: "validate", run: () => Promise.reject(new SyntaxError("bad code")) }], {
      maxRetriesPerStep: 1,
      backoff: { baseMs: 1, jitter: 0 },
      progress: "off",
    });
    const spans = tracing.exporter.getFinishedSpans();
    const [step] = byName(spans, "validate");
    expect(step!.attributes).toMatchObject({ "jotty.step.attempts": 2, "jotty.step.outcome": "error", "error.type": "SyntaxError" });
    expect(step!.status).toEqual({ code: SpanStatusCode.ERROR, message: "bad code" });
    const attempts = spans.filter((s) => s.name.startsWith("attempt "));
    expect(attempts).toHaveLength(2);
    for (const a of attempts) {
      expect(a.attributes).toMatchObject({ "jotty.step.outcome": "error", "error.type": "SyntaxError" });
      expect(a.events.map((e) => e.name)).toEqual(["exception"]);
    }
    const [root] = byName(spans, "invoke_workflow failing");
    expect(root!.status.code).toBe(SpanStatusCode.ERROR);
    expect(root!.attributes["error.type"]).toBe("error");
  });

  it("redacts key shapes from a failed step's exception and status, without start()'s processor", async () => {
    const key = "sk-proj-" + "Zq7".repeat(16);
    await runSteps("leaky", [{ name: "call", run: () => Promise.reject(new Error(`401: Incorrect API key provided: ${key}`)) }], {
      maxRetriesPerStep: 0,
      progress: "off",
    });
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(["attempt 1", "call", "invoke_workflow leaky"]);
    const recorded = JSON.stringify(spans.map((s) => ({ status: s.status, events: s.events, attributes: s.attributes })));
    expect(recorded).toContain("Incorrect API key provided");
    expect(recorded).not.toContain(key);
  });

  it("records a cancelled run on the step span", async () => {
    const controller = new AbortController();
    await runSteps(
      "cancelled",
      [
        {
          name: "long",
          run: ({ signal }) => {
            queueMicrotask(() => controller.abort());
            return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
          },
        },
      ],
      { signal: controller.signal, progress: "off" },
    );
    const spans = tracing.exporter.getFinishedSpans();
    const [step] = byName(spans, "long");
    expect(step!.attributes).toMatchObject({ "jotty.step.outcome": "error", "error.type": "cancelled", "jotty.step.attempts": 1 });
    expect(step!.events.map((e) => e.name)).toEqual(["jotty.step.cancelled"]);
    expect(byName(spans, "invoke_workflow cancelled")[0]!.attributes["error.type"]).toBe("cancelled");
  });

  it("records a step that ignored its signal as abandoned", async () => {
    await runSteps("stubborn", [{ name: "deaf", timeoutMs: 30, run: () => new Promise(() => {}) }], {
      maxRetriesPerStep: 0,
      progress: "off",
    });
    const [step] = byName(tracing.exporter.getFinishedSpans(), "deaf");
    expect(step!.events.map((e) => [e.name, e.attributes])).toEqual([
      ["jotty.step.timeout", { "jotty.step.attempt": 1, "jotty.step.timeout_ms": 30 }],
      ["jotty.step.abandoned", { "jotty.step.attempt": 1, reason: "timeout" }],
    ]);
    expect(step!.attributes).toMatchObject({ "jotty.step.outcome": "timeout", "error.type": "timeout" });
  });

  it("nests the workflow under the caller's active span, and the step's async work under its attempt", async () => {
    const tracer = trace.getTracer("test");
    await tracer.startActiveSpan("outer", async (outer) => {
      await runSteps(
        "nested",
        [
          {
            name: "async_step",
            run: async () => {
              await new Promise((resolve) => setTimeout(resolve, 5));
              await Promise.all([1, 2].map((i) => tracer.startActiveSpan(`child ${i}`, async (span) => span.end())));
            },
          },
        ],
        { progress: "off" },
      );
      outer.end();
    });
    const spans = tracing.exporter.getFinishedSpans();
    const [outer] = byName(spans, "outer");
    const [root] = byName(spans, "invoke_workflow nested");
    const [attempt] = byName(spans, "attempt 1");
    expect(parentId(root!)).toBe(outer!.spanContext().spanId);
    for (const name of ["child 1", "child 2"]) expect(parentId(byName(spans, name)[0]!)).toBe(attempt!.spanContext().spanId);
  });
});
