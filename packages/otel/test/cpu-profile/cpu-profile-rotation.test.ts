import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, expect, it } from "vitest";
import { CpuProfiler, type CpuProfile } from "../../src/cpu-profile/index.js";
import { expectValidCpuProfile, segment } from "./assertions.js";
import { jottyBurnCpuForTest } from "./workloads.js";

const dir = mkdtempSync(join(tmpdir(), "jotty-cpu-rotation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("starts a new file after maxSamplesPerFile samples; each span points at the file holding its samples", async () => {
  const profiler = new CpuProfiler({ dir, serviceName: "rotation", readBudget: 1, maxSamplesPerFile: 40 });
  const exporter = new InMemorySpanExporter();
  const tracer = new TracerProvider({ spanProcessors: [profiler, new SimpleSpanProcessor({ exporter })] }).getTracer("t");
  const first = profiler.path;

  segment(tracer, "first", () => jottyBurnCpuForTest(150));
  await profiler.settled(); // the read after the segment fills the first file
  expect(existsSync(first)).toBe(true); // written when full
  expect(profiler.path).toBe(first.replace(/\.cpuprofile$/, "-2.cpuprofile"));
  segment(tracer, "second", () => jottyBurnCpuForTest(100));
  expect(profiler.stop()).toBe(profiler.path);

  for (const [name, path] of [
    ["first", first],
    ["second", profiler.path],
  ] as const) {
    const span = exporter.getFinishedSpans().find((s) => s.name === name)!;
    expect(span.attributes["jotty.cpu_profile.path"]).toBe(path);
    const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
    expectValidCpuProfile(profile);
    const last = span.attributes["jotty.cpu_profile.sample_last"] as number;
    expect(last).toBeLessThan(profile.samples.length);
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
    const first = span.attributes["jotty.cpu_profile.sample_first"] as number;
    const names = profile.samples.slice(first, last + 1).map((id) => byId.get(id));
    expect(names, `${name} ${first}-${last} of ${profile.samples.length}: ${[...new Set(names)].join(", ")}`).toContain("jottyBurnCpuForTest");
  }
});
