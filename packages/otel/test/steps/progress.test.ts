import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgressReporter } from "../../src/steps/progress.js";
import { runSteps, type StepProgressEvent } from "../../src/steps/index.js";

function capture(isTTY: boolean) {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 120, rows: 40 });
  return { stream, text: () => text };
}

async function record(): Promise<StepProgressEvent[]> {
  const events: StepProgressEvent[] = [];
  await runSteps(
    "demo",
    [
      { name: "plan", run: () => "p" },
      {
        name: "code",
        timeoutMs: 30,
        run: ({ attempt, signal }) => (attempt === 1 ? new Promise((_, r) => signal.addEventListener("abort", () => r(signal.reason))) : "c"),
      },
    ],
    { progress: "off", backoff: { baseMs: 5, jitter: 0 }, onProgress: (e) => events.push(e) },
  );
  return events;
}

describe("progress", () => {
  it("emits typed events in order for programs", async () => {
    const events = await record();
    expect(events.map((e) => e.type)).toEqual([
      "run-start",
      "attempt-start",
      "attempt-end",
      "step-end",
      "attempt-start",
      "timeout",
      "attempt-end",
      "retry",
      "attempt-start",
      "attempt-end",
      "step-end",
      "run-end",
    ]);
    const atMs = events.map((e) => e.atMs);
    expect([...atMs].sort((a, b) => a - b)).toEqual(atMs);
  });

  it("writes one plain line per step event without a terminal", async () => {
    const events = await record();
    const { stream, text } = capture(false);
    const reporter = createProgressReporter("auto", stream);
    for (const e of events) reporter.handle(e);
    reporter.close();
    const lines = text().trimEnd().split("\n");
    expect(lines[0]).toBe("[demo] 2 steps: plan, code");
    expect(lines).toContain("[demo] step 2/2 code: attempt 1 timed out after 0.0s, aborting it");
    expect(lines).toContain("[demo] step 2/2 code: retrying in 5 ms (attempt 2)");
    expect(lines.filter((l) => / ok after .* \(\d attempts?\)$/.test(l))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^\[demo\] done in \d+\.\ds$/);
    expect(text()).not.toContain("\u001B[");
  });

  it("redraws a live line per step on a terminal", async () => {
    const events = await record();
    const { stream, text } = capture(true);
    const reporter = createProgressReporter("auto", stream);
    for (const e of events) reporter.handle(e);
    reporter.close();
    const out = text();
    expect(out).toContain("\u001B["); // cursor movement from log-update
    expect(out).toMatch(/✔ 1\/2 plan\s+attempt 1\s+\d+\.\ds\s+ok/);
    expect(out).toMatch(/✔ 2\/2 code\s+attempt 2\s+\d+\.\ds\s+ok — after 2 attempts/);
    expect(out).toContain("waiting — retry in 5 ms");
    expect(out).toContain("demo: done in");
  });

  it("writes nothing when off", async () => {
    const { stream, text } = capture(true);
    const reporter = createProgressReporter("off", stream);
    for (const e of await record()) reporter.handle(e);
    reporter.close();
    expect(text()).toBe("");
  });
});
