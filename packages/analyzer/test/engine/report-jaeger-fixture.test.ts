// The engine on real data: Jaeger's otel_traces_01.json (two traces of two 5 µs spans, every
// span in error and naming a parent that is not in its trace), read by the file source.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createReportBuilder } from "@jotty/engine/engine";
import { readTraceFile } from "../../src/sources/file.js";
import { WarningLog } from "../../src/sources/warnings.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/jaeger/", import.meta.url));
const T1 = "00000000000000010000000000000000";
const T2 = "00000000000000020000000000000000";

describe("report of Jaeger's otel_traces_01 fixture", () => {
  it("treats spans whose parent is missing as roots", async () => {
    const builder = createReportBuilder({ source: { kind: "file", location: "otel_traces_01.json" }, jaegerUrl: "http://localhost:16686" });
    await readTraceFile(`${fixtures}otel_traces_01.json`, (s) => builder.add(s), new WarningLog());
    const report = builder.finish();
    // Four roots of 5 µs: each a quarter of the self time and of the critical paths.
    const op = (n: number) => ({
      name: `test-general-conversion-${n}`,
      count: 1,
      totalMs: 0.005,
      selfMs: 0.005,
      selfShare: 0.25,
      criticalMs: 0.005,
      criticalShare: 0.25,
      p50Ms: 0.005,
      p95Ms: 0.005,
      maxMs: 0.005,
      errors: 1,
    });
    expect(report).toMatchObject({
      traces: 2,
      spans: 4,
      wallMs: 0.01,
      operations: [op(2), op(3), op(4), op(5)],
      runs: { count: 2, succeeded: 0, successRate: 0 },
      slowestTraces: [
        { traceId: T1, rootName: "test-general-conversion-2", durationMs: 0.005, url: `http://localhost:16686/trace/${T1}` },
        { traceId: T2, rootName: "test-general-conversion-3", durationMs: 0.005, url: `http://localhost:16686/trace/${T2}` },
      ],
      warnings: [`4 span(s) in 2 trace(s) name a parent that is missing: treated as roots (e.g. trace ${T1}, ${T2})`],
    });
    expect(report.bottlenecks.map((b) => [b.name, b.impact, b.share])).toEqual([2, 3, 4, 5].map((n) => [`test-general-conversion-${n}`, "high", 0.25]));
  });
});
