// Shared assertions of the CPU profiler tests.
import { context, type Tracer } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { expect } from "vitest";
import type { CpuProfile } from "../../src/cpu-profile/index.js";

export function cpuEvent(span: ReadableSpan) {
  const event = span.events.find((e) => e.name === "jotty.cpu_profile");
  expect(event, `span ${span.name} has a jotty.cpu_profile event`).toBeDefined();
  return event!.attributes!;
}

/** Runs fn inside a span (a segment) that ends when fn returns. */
export function segment<T>(tracer: Tracer, name: string, fn: () => T, parent = context.active()): T {
  const span = tracer.startSpan(name, {}, parent);
  try {
    return fn();
  } finally {
    span.end();
  }
}

export function expectValidCpuProfile(profile: CpuProfile): void {
  expect(Array.isArray(profile.nodes)).toBe(true);
  expect(profile.samples.length).toBe(profile.timeDeltas.length);
  expect(profile.samples.length).toBeGreaterThan(0);
  expect(profile.endTime).toBeGreaterThanOrEqual(profile.startTime);
  const ids = new Set(profile.nodes.map((n) => n.id));
  expect(ids.size).toBe(profile.nodes.length);
  for (const id of profile.samples) expect(ids.has(id)).toBe(true);
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      expect(ids.has(child)).toBe(true);
      expect(parents.has(child)).toBe(false); // a tree: one parent each
      parents.set(child, node.id);
    }
  }
  const roots = profile.nodes.filter((n) => !parents.has(n.id));
  expect(roots).toHaveLength(1);
  expect(roots[0]!.callFrame.functionName).toBe("(root)");
  expect(profile.nodes[0]).toBe(roots[0]); // DevTools takes the first node as the root
  for (const delta of profile.timeDeltas) expect(delta).toBeGreaterThanOrEqual(0);
  const last = profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0);
  expect(last).toBeLessThanOrEqual(profile.endTime);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const node of profile.nodes) expect(node.hitCount ?? 0).toBe(hits.get(node.id) ?? 0);
}
