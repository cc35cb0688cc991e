import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/index.js";
import { span } from "@jotty/test-kit/spans";

describe("CPU hot spots in the report", () => {
  const profiled = span({
    id: "p",
    name: "validate",
    start: 0,
    end: 100,
    events: [
      {
        name: "jotty.cpu_profile",
        at: 100,
        attrs: {
          "jotty.cpu_profile.cpu_ms": 60,
          "jotty.cpu_profile.functions": ["parse", "check"],
          "jotty.cpu_profile.locations": ["a.js:1", "b.js:2"],
          "jotty.cpu_profile.self_ms": [40, 20],
        },
      },
    ],
  });

  it("adds cpuHotspots when spans carry jotty.cpu_profile events", () => {
    const report = buildReport([profiled], { source: { kind: "file", location: "x" } });
    expect(report.cpuHotspots).toEqual([
      {
        name: "validate",
        segments: 1,
        wallMs: 100,
        cpuMs: 60,
        cpuShare: 0.6,
        overlappingSegments: 0,
        topFunctions: [
          { function: "parse", location: "a.js:1", selfMs: 40, share: 0.4, segments: 1 },
          { function: "check", location: "b.js:2", selfMs: 20, share: 0.2, segments: 1 },
        ],
        profiles: [],
      },
    ]);
  });

  it("leaves the key out otherwise", () => {
    const report = buildReport([span({ id: "q", start: 0, end: 1 })], { source: { kind: "file", location: "x" } });
    expect("cpuHotspots" in report).toBe(false);
  });
});
