// No SDK registered here: the profiler starts @jotty/otel's own (no exporters) and still reports.
import { trace } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { shutdown } from "../../src/wiring/start.js";
import { PerformanceProfiler } from "../../src/report/performance-profiler.js";
import { profile } from "../../src/segments/profile.js";

afterAll(() => shutdown());

describe("PerformanceProfiler without a registered SDK", () => {
  it("starts the SDK itself and reports nested async segments", async () => {
    process.env.JOTTY_CAPTURE_FETCH = "false";
    expect(trace.getActiveSpan()).toBeUndefined();
    const profiler = new PerformanceProfiler();
    await profile("job", () => Promise.all([profile("a", async () => profile("a1", () => 1)), profile("b", async () => 2)]));
    profiler.stop();
    const report = profiler.getReport();
    expect(report.spans).toBe(4);
    const job = report.tree[0]!;
    expect(job.name).toBe("job");
    expect(job.children.map((c) => c.name).sort()).toEqual(["a", "b"]);
    expect(job.children.find((c) => c.name === "a")!.children.map((c) => c.name)).toEqual(["a1"]);
  });
});
