import { describe, expect, it } from "vitest";
import { backoffDelayMs, runSteps, type StepProgressEvent } from "../../src/steps/index.js";
import { referenceTimers } from "./reference-timer.js";
import { activeResources, expectNoNewResources } from "./resources.js";

const collect = () => {
  const events: StepProgressEvent[] = [];
  return { events, onProgress: (e: StepProgressEvent) => events.push(e) };
};

describe("runSteps", () => {
  it("runs steps in order and hands each the previous results by name and position", async () => {
    const seen: unknown[] = [];
    const report = await runSteps(
      "pipeline",
      [
        { name: "one", run: () => 1 },
        { name: "two", run: async ({ results }) => (results.byName.one as number) + 1 },
        {
          name: "three",
          run: ({ results, attempt }) => {
            seen.push(results.list, results.byName, attempt);
            return "last";
          },
        },
      ],
      { progress: "off" },
    );
    expect(report).toMatchObject({ name: "pipeline", ok: true, cancelled: false, result: "last" });
    expect(report.steps.map((s) => [s.name, s.index, s.outcome, s.attempts, s.result])).toEqual([
      ["one", 0, "ok", 1, 1],
      ["two", 1, "ok", 1, 2],
      ["three", 2, "ok", 1, "last"],
    ]);
    expect(seen).toEqual([[1, 2], { one: 1, two: 2 }, 1]);
    expect(report.durationMs).toBeGreaterThanOrEqual(report.steps.reduce((sum, s) => sum + s.durationMs, 0) - 1);
  });

  it("retries a failing step up to maxRetriesPerStep and counts the attempts", async () => {
    const { events, onProgress } = collect();
    let calls = 0;
    const report = await runSteps(
      "retries",
      [
        {
          name: "validate",
          run: ({ attempt }) => {
            calls++;
            if (attempt < 3) throw new TypeError(`invalid on attempt ${attempt}`);
            return "valid";
          },
        },
      ],
      { maxRetriesPerStep: 2, backoff: { baseMs: 1, jitter: 0 }, progress: "off", onProgress },
    );
    expect(calls).toBe(3);
    expect(report.ok).toBe(true);
    const step = report.steps[0]!;
    expect(step.attempts).toBe(3);
    expect(step.attemptsDetail.map((a) => a.outcome)).toEqual(["error", "error", "ok"]);
    expect((step.attemptsDetail[0]!.error as Error).message).toBe("invalid on attempt 1");
    expect(events.filter((e) => e.type === "retry")).toHaveLength(2);
    expect(events.filter((e) => e.type === "attempt-start").map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it("gives up after the last retry and does not run the later steps", async () => {
    let laterRan = false;
    const report = await runSteps(
      "gives-up",
      [
        { name: "ok", run: () => "fine" },
        { name: "broken", run: () => Promise.reject(new RangeError("always")) },
        { name: "later", run: () => (laterRan = true) },
      ],
      { maxRetriesPerStep: 1, backoff: { baseMs: 1, jitter: 0 }, progress: "off" },
    );
    expect(report.ok).toBe(false);
    expect(report.cancelled).toBe(false);
    expect(laterRan).toBe(false);
    expect(report.steps.map((s) => [s.name, s.outcome, s.attempts])).toEqual([
      ["ok", "ok", 1],
      ["broken", "error", 2],
    ]);
    expect(report.steps[1]!.error).toBeInstanceOf(RangeError);
    expect("result" in report).toBe(false);
  });

  it("waits the exponential backoff with jitter between attempts", async () => {
    const { events, onProgress: record } = collect();
    // Plain timers armed with each backoff: how long a wait of that length really took here.
    const reference = referenceTimers("retry", (e) => (e.type === "retry" ? e.delayMs : undefined));
    const onProgress = (e: StepProgressEvent) => {
      record(e);
      reference.onProgress(e);
    };
    const randoms = [0.5, 0.25];
    const report = await runSteps("backoff", [{ name: "flaky", run: ({ attempt }) => (attempt < 3 ? Promise.reject(new Error("no")) : "yes") }], {
      maxRetriesPerStep: 2,
      backoff: { baseMs: 60, maxMs: 1000, jitter: 0.5 },
      random: () => randoms.shift()!,
      progress: "off",
      onProgress,
    });
    expect(report.ok).toBe(true);
    // retry 1: 60 × (1 − 0.5 × 0.5) = 45 ms; retry 2: 120 × (1 − 0.5 × 0.25) = 105 ms
    const retries = events.filter((e) => e.type === "retry");
    expect(retries.map((e) => e.delayMs)).toEqual([45, 105]);
    const starts = events.filter((e) => e.type === "attempt-start");
    const ends = events.filter((e) => e.type === "attempt-end");
    const gap1 = starts[1]!.atMs - ends[0]!.atMs;
    const gap2 = starts[2]!.atMs - ends[1]!.atMs;
    const [reference1, reference2] = await reference.delays();
    expect(gap1).toBeGreaterThanOrEqual(44);
    expect(gap1).toBeLessThan(reference1! + 50);
    expect(gap2).toBeGreaterThanOrEqual(104);
    expect(gap2).toBeLessThan(reference2! + 50);
  });

  it("computes capped exponential delays", () => {
    const none = { baseMs: 100, maxMs: 700, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((r) => backoffDelayMs(r, none))).toEqual([100, 200, 400, 700, 700]);
    expect(backoffDelayMs(2, { baseMs: 100, jitter: 1 }, () => 0.999)).toBe(0);
    expect(backoffDelayMs(1, {}, () => 0)).toBe(250);
  });

  it("cancels the whole run with the caller's signal: the attempt is aborted, nothing is retried or started", async () => {
    const before = activeResources();
    const controller = new AbortController();
    const { events, onProgress } = collect();
    let thirdRan = false;
    let stepSawAbort: unknown;
    const report = await runSteps(
      "cancel",
      [
        { name: "first", run: () => "a" },
        {
          name: "second",
          run: ({ signal }) =>
            new Promise((_, reject) => {
              signal.addEventListener("abort", () => {
                stepSawAbort = signal.reason;
                reject(signal.reason);
              });
              queueMicrotask(() => controller.abort(new Error("user pressed ctrl-c")));
            }),
        },
        { name: "third", run: () => (thirdRan = true) },
      ],
      { maxRetriesPerStep: 3, backoff: { baseMs: 1 }, signal: controller.signal, progress: "off", onProgress },
    );
    expect(report.cancelled).toBe(true);
    expect(report.ok).toBe(false);
    expect(thirdRan).toBe(false);
    expect((stepSawAbort as Error).message).toBe("user pressed ctrl-c");
    expect(report.steps.map((s) => [s.name, s.outcome, s.attempts])).toEqual([
      ["first", "ok", 1],
      ["second", "error", 1],
    ]);
    expect((report.steps[1]!.error as Error).message).toBe("user pressed ctrl-c");
    expect(events.some((e) => e.type === "retry")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "run-end", ok: false, cancelled: true });
    await expectNoNewResources(before);
  });

  it("cancels during a backoff wait without waiting it out or leaving its timer", async () => {
    const before = activeResources();
    const controller = new AbortController();
    const started = performance.now();
    const report = await runSteps("cancel-backoff", [{ name: "fails", run: () => Promise.reject(new Error("boom")) }], {
      maxRetriesPerStep: 1,
      backoff: { baseMs: 10_000, jitter: 0 },
      signal: controller.signal,
      progress: "off",
      onProgress: (e) => {
        if (e.type === "retry") queueMicrotask(() => controller.abort());
      },
    });
    expect(performance.now() - started).toBeLessThan(5_000); // far below the 10 s backoff, with room for a loaded CI
    expect(report).toMatchObject({ ok: false, cancelled: true });
    expect(report.steps[0]).toMatchObject({ outcome: "error", attempts: 1 });
    await expectNoNewResources(before);
  });

  it("does not start at all when the caller's signal is already aborted", async () => {
    let ran = false;
    const report = await runSteps("pre-aborted", [{ name: "x", run: () => (ran = true) }], {
      signal: AbortSignal.abort(),
      progress: "off",
    });
    expect(ran).toBe(false);
    expect(report).toMatchObject({ ok: false, cancelled: true, steps: [] });
  });

  it("keeps running when the onProgress callback throws", async () => {
    const report = await runSteps("faulty-callback", [{ name: "x", run: () => 1 }], {
      progress: "off",
      onProgress: () => {
        throw new Error("callback bug");
      },
    });
    expect(report.ok).toBe(true);
  });

  it("rejects bad input with one clear error", async () => {
    await expect(runSteps("bad", [{ name: "x", run: () => 1 }], { timeoutPerStepMs: 0 })).rejects.toThrow(
      'runSteps("bad"): timeoutPerStepMs must be > 0, got 0',
    );
    await expect(runSteps("bad", [{ name: "x", run: () => 1 }], { maxRetriesPerStep: -1 })).rejects.toThrow(/maxRetriesPerStep must be an integer >= 0/);
    await expect(runSteps("bad", [{ name: "", run: () => 1 }])).rejects.toThrow('runSteps("bad"): step 0 needs a non-empty name');
    await expect(runSteps("bad", [{ name: "y" } as never])).rejects.toThrow('step "y" needs a run(ctx) function');
  });

  it("treats an Infinity timeout as no deadline", async () => {
    const report = await runSteps("no-deadline", [{ name: "x", timeoutMs: Infinity, run: () => new Promise((r) => setTimeout(r, 20, "done")) }], {
      progress: "off",
    });
    expect(report).toMatchObject({ ok: true, result: "done" });
  });
});
