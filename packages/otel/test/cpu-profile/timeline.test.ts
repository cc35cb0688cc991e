// Joining chunks into one profile, on chunks shaped like V8's (ids restart at 1 in every chunk),
// for the cases a live profiler produces only by chance: overlapping chunk edges, out-of-order
// samples, idle stretches.
import { describe, expect, it } from "vitest";
import { sliceWindow } from "../../src/cpu-profile/hotspots.js";
import { ProfileTimeline } from "../../src/cpu-profile/timeline.js";
import type { CpuProfile, CpuProfileNode } from "../../src/cpu-profile/types.js";
import { expectValidCpuProfile } from "./assertions.js";

function node(id: number, functionName: string, children: number[] = [], url = "file:///app/main.js", lineNumber = 4): CpuProfileNode {
  return { id, callFrame: { functionName, scriptId: "7", url, lineNumber, columnNumber: 2 }, hitCount: 0, children };
}
const root = (id: number, children: number[]) => node(id, "(root)", children, "", -1);

function chunk(nodes: CpuProfileNode[], startTime: number, samples: number[], timeDeltas: number[], endTime: number): CpuProfile {
  return { nodes, startTime, endTime, samples, timeDeltas };
}

// root → main → work, root → (idle); the second chunk numbers the same paths differently.
const first = chunk(
  [root(1, [2, 4]), node(2, "main", [3]), node(3, "work", [], "file:///app/work.js", 9), node(4, "(idle)", [], "", -1)],
  1000,
  [3, 3, 4, 4, 4, 3],
  [10, 1000, 1000, 1000, 1000, 1000],
  6500,
);
const second = chunk(
  [root(1, [2, 3]), node(2, "(idle)", [], "", -1), node(3, "main", [5]), node(5, "work", [], "file:///app/work.js", 9)],
  6000,
  [5, 2, 5],
  [10, 1000, 1000],
  8500,
);

describe("ProfileTimeline", () => {
  it("merges the chunks' trees by call path and drops the sample both chunks saw", () => {
    const timeline = new ProfileTimeline(1000);
    timeline.append(first);
    timeline.append(second);
    const profile = timeline.toCpuProfile();
    expectValidCpuProfile(profile);
    expect(profile.nodes.map((n) => n.callFrame.functionName)).toEqual(["(root)", "main", "(idle)", "work"]);
    const name = (id: number) => profile.nodes[id - 1]!.callFrame.functionName;
    // The three idle samples in a row keep only the first; 6010 came in both chunks.
    expect(profile.samples.map(name)).toEqual(["work", "work", "(idle)", "work", "(idle)", "work"]);
    expect(profile.startTime).toBe(1000);
    expect(profile.endTime).toBe(8500);
    expect(profile.timeDeltas).toEqual([10, 1000, 1000, 3000, 1000, 1000]);
    // The kept idle sample still spans the whole idle stretch.
    expect(timeline.durationUs(2)).toBe(3000);
    expect(timeline.durationUs(5)).toBe(1000); // the last one gets one interval
  });

  it("sorts samples V8 handed out of order", () => {
    const timeline = new ProfileTimeline(1000);
    timeline.append(chunk([root(1, [2]), node(2, "a", [3]), node(3, "b")], 0, [2, 3, 2], [1000, 1000, -1500], 3000));
    const profile = timeline.toCpuProfile();
    expect(profile.timeDeltas).toEqual([500, 500, 1000]);
    expect(profile.samples.map((id) => profile.nodes[id - 1]!.callFrame.functionName)).toEqual(["a", "a", "b"]);
  });

  it("slices a window inclusively and names top functions by self time with file:line", () => {
    const timeline = new ProfileTimeline(1000);
    timeline.append(first);
    timeline.append(second);
    expect(timeline.range(2010, 6010)).toEqual([1, 4]);
    const slice = sliceWindow(timeline, 1000, 9000, 5);
    expect(slice).toMatchObject({ sampleFirst: 0, sampleLast: 5, cpuSamples: 4, cpuMs: 4 });
    expect(slice.topFunctions).toEqual([{ function: "work", location: "/app/work.js:10", selfMs: 4, share: 0.5 }]);
  });

  it("leaves the profiler's own frames, and what they call, out of slices", () => {
    const own = "file:///jotty/cpu-profile/";
    const timeline = new ProfileTimeline(1000, own);
    timeline.append(
      chunk(
        [root(1, [2, 4]), node(2, "read", [3], `${own}profiler.js`), node(3, "JSON.parse", [], ""), node(4, "app")],
        0,
        [2, 3, 4],
        [1000, 1000, 1000],
        4000,
      ),
    );
    expect([0, 1, 2].map((i) => timeline.isOwn(i))).toEqual([true, true, false]);
    expect(sliceWindow(timeline, 0, 4000, 5).topFunctions.map((f) => f.function)).toEqual(["app"]);
  });
});
