// `--file` is read whole unless a window is asked for: runs recorded long ago (here 2025-11-25,
// a year before the tests run) are all in the report by default, without --since; --since and
// --until narrow it only when given, and --until alone reads from the file's start.
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../sources/helpers.js";
import { runCli } from "./run-cli.js";
import { otlpLine, sid, tid, type TestSpan } from "./traces.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const HOUR_MS = 3_600_000;
/** One run of one span, `hoursIn` hours after 2025-11-25T20:00:00Z. */
const run = (n: number, hoursIn: number): TestSpan => ({
  traceId: tid(n),
  spanId: sid(1),
  name: "agent run",
  startMs: hoursIn * HOUR_MS,
  endMs: hoursIn * HOUR_MS + 500,
});
// Three runs over two days.
const file = tmp.write("old-runs.jsonl", [run(1, 0), run(2, 26), run(3, 49)].map((s) => otlpLine([s])).join("\n") + "\n");

const report = async (...args: string[]) => {
  const out = await runCli(["--file", file, "--format", "json", ...args]);
  expect(out.stderr).toBe("");
  return JSON.parse(out.stdout) as { traces: number; window: { start: string | null; end: string | null }; slowestTraces: { traceId: string }[] };
};
const ids = (r: { slowestTraces: { traceId: string }[] }) => r.slowestTraces.map((t) => t.traceId).sort();

describe("--file without a window", () => {
  it("reads the whole file, however old its runs; the window is the file's extent", async () => {
    const whole = await report();
    expect(whole.traces).toBe(3);
    expect(whole.window).toEqual({ start: "2025-11-25T20:00:00.000Z", end: "2025-11-27T21:00:00.500Z" });
  });

  it("--since and --until narrow it only when given", async () => {
    expect(ids(await report("--since", "2025-11-26T00:00:00Z", "--until", "2025-11-27T00:00:00Z"))).toEqual([tid(2)]);
    // --since alone: up to now.
    expect(ids(await report("--since", "2025-11-26T00:00:00Z"))).toEqual([tid(2), tid(3)]);
  });

  it("--until alone reads from the file's start (not an hour before now, which would end before it)", async () => {
    const r = await report("--until", "2025-11-27T00:00:00Z");
    expect(ids(r)).toEqual([tid(1), tid(2)]);
    expect(r.window).toEqual({ start: null, end: "2025-11-27T00:00:00.000Z" });
  });
});
