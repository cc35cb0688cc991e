import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSteps, type StepProgressEvent } from "../../src/steps/index.js";
import { referenceTimers } from "./reference-timer.js";
import { activeResources, expectNoNewResources } from "./resources.js";
import { startSilentServer } from "./server.js";

describe("step timeouts", () => {
  let server: Awaited<ReturnType<typeof startSilentServer>>;
  beforeEach(async () => {
    server = await startSilentServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("fires within 50 ms of the deadline and aborts the step's real fetch", async () => {
    const before = activeResources();
    const events: StepProgressEvent[] = [];
    let fetchError: unknown;
    let fetchRejectedAt = 0;
    let attemptStartedAt = 0;
    // A plain 200 ms timer armed at attempt start: on a loaded machine every timer fires late,
    // so "within 50 ms of the deadline" is measured against when this one fired.
    const reference = referenceTimers("attempt-start", () => 200);

    const report = await runSteps(
      "timeouts",
      [
        {
          name: "slow_call",
          async run({ signal }) {
            try {
              await fetch(server.url, { signal });
            } catch (error) {
              fetchError = error;
              fetchRejectedAt = performance.now();
              throw error;
            }
          },
        },
      ],
      {
        timeoutPerStepMs: 200,
        maxRetriesPerStep: 0,
        progress: "off",
        onProgress: (e) => {
          if (e.type === "attempt-start") attemptStartedAt = performance.now();
          reference.onProgress(e);
          events.push(e);
        },
      },
    );
    const [referenceMs] = await reference.delays();

    const start = events.find((e) => e.type === "attempt-start");
    const timeout = events.find((e) => e.type === "timeout");
    expect(start && timeout).toBeTruthy();
    const timedOutAfter = timeout!.atMs - start!.atMs;
    expect(timedOutAfter - 200).toBeGreaterThanOrEqual(-1); // timers never fire early (1 ms clock rounding)
    expect(timedOutAfter - referenceMs!, "the deadline fired late against a plain timer armed with it").toBeLessThan(50);

    // fetch rejects with the signal's reason: a DOMException named TimeoutError, as AbortSignal.timeout() gives
    expect(fetchError).toBeInstanceOf(DOMException);
    expect((fetchError as DOMException).name).toBe("TimeoutError");
    // The fetch honoured its signal: it rejected before the runner ended the attempt, so the
    // runner did not have to abandon it. (Ordered events, not a time bound: under load the
    // abort takes undici several event-loop turns.)
    const attemptEnd = events.find((e) => e.type === "attempt-end");
    expect(fetchRejectedAt - attemptStartedAt).toBeGreaterThan(0);
    expect(fetchRejectedAt - attemptStartedAt).toBeLessThanOrEqual(attemptEnd!.atMs - start!.atMs + 1);
    expect(events.some((e) => e.type === "abandoned")).toBe(false);

    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ name: "slow_call", outcome: "timeout", attempts: 1, ok: false });
    expect(report.steps[0]!.attemptsDetail[0]!.outcome).toBe("timeout");

    // the server saw the request arrive and its socket close
    expect(server.requests).toHaveLength(1);
    await server.allSocketsClosed();
    // Node 22's fetch may leave a second, never-used connection with the server; closing the
    // server ends it, so what is left open after that is the runner's.
    await server.close();
    await expectNoNewResources(before);
  });

  it("moves on from a step that ignores its signal, and says so", async () => {
    const before = activeResources();
    const events: StepProgressEvent[] = [];
    const reference = referenceTimers("attempt-start", () => 80);
    const report = await runSteps(
      "stubborn",
      [
        { name: "ignores_signal", run: () => new Promise(() => {}) },
        { name: "after", run: () => "not reached" },
      ],
      {
        timeoutPerStepMs: 80,
        maxRetriesPerStep: 1,
        backoff: { baseMs: 10, jitter: 0 },
        progress: "off",
        onProgress: (e) => {
          reference.onProgress(e);
          events.push(e);
        },
      },
    );
    const referenceMs = await reference.delays();
    expect(report.ok).toBe(false);
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]).toMatchObject({ outcome: "timeout", attempts: 2 });
    expect(report.steps[0]!.attemptsDetail.map((a) => a.abandoned)).toEqual([true, true]);
    const abandoned = events.filter((e) => e.type === "abandoned");
    expect(abandoned).toHaveLength(2);
    expect(abandoned[0]).toMatchObject({ step: "ignores_signal", attempt: 1, reason: "timeout" });
    // each attempt was given up at its deadline, not later (than a plain timer armed alongside)
    for (const [i, attempt] of report.steps[0]!.attemptsDetail.entries()) expect(attempt.durationMs - referenceMs[i]!).toBeLessThan(50);
    await expectNoNewResources(before);
  });

  it("retries a timed-out attempt and succeeds", async () => {
    const report = await runSteps(
      "flaky",
      [
        {
          name: "sometimes_slow",
          async run({ signal, attempt }) {
            if (attempt === 1) await fetch(server.url, { signal });
            return `done on attempt ${attempt}`;
          },
        },
      ],
      { timeoutPerStepMs: 100, maxRetriesPerStep: 2, backoff: { baseMs: 5, jitter: 0 }, progress: "off" },
    );
    expect(report.ok).toBe(true);
    expect(report.result).toBe("done on attempt 2");
    expect(report.steps[0]!.attempts).toBe(2);
    expect(report.steps[0]!.attemptsDetail.map((a) => a.outcome)).toEqual(["timeout", "ok"]);
    await server.allSocketsClosed();
  });
});
