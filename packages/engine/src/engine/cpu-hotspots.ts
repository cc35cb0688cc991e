// CPU hot spots per operation, from the `jotty.cpu_profile` events the @jotty/otel CPU profiler
// puts on segment spans. Pure: spans in, rows out.
//
// Each event lists a segment's top functions only (10 by default), so a function that is never
// in any single segment's top list is missing from the operation's totals. Nested segments each
// carry their own window, so a parent operation's functions include its children's, like
// cumulative time in cProfile.
import type { AttributeValue, Span } from "../model.js";
import type { CpuHotspotOperation } from "../report.js";
import {
  ATTR_JOTTY_CPU_PROFILE_CPU_MS,
  ATTR_JOTTY_CPU_PROFILE_FUNCTIONS,
  ATTR_JOTTY_CPU_PROFILE_LOCATIONS,
  ATTR_JOTTY_CPU_PROFILE_OVERLAPPING,
  ATTR_JOTTY_CPU_PROFILE_PATH,
  ATTR_JOTTY_CPU_PROFILE_SELF_MS,
  ATTR_JOTTY_CPU_PROFILE_TOP_FUNCTIONS,
  EVENT_JOTTY_CPU_PROFILE,
} from "../semconv.js";
import { mergeValue } from "./merge-state.js";

export interface CpuHotspotOptions {
  /** Operations to keep, by CPU time. Default 10. */
  top?: number;
  /** Functions to keep per operation. Default 5. */
  topFunctions?: number;
}

export interface Accumulator {
  segments: number;
  wallMs: number;
  cpuMs: number;
  overlapping: number;
  functions: Map<string, { function: string; location: string; selfMs: number; segments: number }>;
  profiles: Set<string>;
}

/** Streaming form, for the report builder: add spans one by one, then finish(). */
export function createCpuHotspotCollector(): {
  add(span: Span): void;
  finish(options?: CpuHotspotOptions): CpuHotspotOperation[];
  state(): Map<string, Accumulator>;
  merge(state: Map<string, Accumulator>): void;
} {
  const byName = new Map<string, Accumulator>();
  return {
    add(span) {
      const event = span.events?.find((e) => e.name === EVENT_JOTTY_CPU_PROFILE);
      if (!event) return;
      const functions = readFunctions(event.attributes);
      if (!functions) return;
      let acc = byName.get(span.name);
      if (!acc) {
        acc = { segments: 0, wallMs: 0, cpuMs: 0, overlapping: 0, functions: new Map(), profiles: new Set() };
        byName.set(span.name, acc);
      }
      acc.segments++;
      acc.wallMs += Math.max(0, (span.endNs - span.startNs) / 1e6);
      acc.cpuMs += num(event.attributes[ATTR_JOTTY_CPU_PROFILE_CPU_MS]) ?? functions.reduce((s, f) => s + f.selfMs, 0);
      const overlapping = event.attributes[ATTR_JOTTY_CPU_PROFILE_OVERLAPPING] ?? span.attributes[ATTR_JOTTY_CPU_PROFILE_OVERLAPPING];
      if (overlapping === true || overlapping === "true") acc.overlapping++;
      const path = span.attributes[ATTR_JOTTY_CPU_PROFILE_PATH];
      if (typeof path === "string" && path) acc.profiles.add(path);
      for (const f of functions) {
        const key = `${f.function}\0${f.location}`;
        const row = acc.functions.get(key) ?? { function: f.function, location: f.location, selfMs: 0, segments: 0 };
        row.selfMs += f.selfMs;
        row.segments++;
        acc.functions.set(key, row);
      }
    },
    state: () => byName,
    merge: (state) => void mergeValue(byName, state),
    finish(options = {}) {
      return [...byName]
        .map(([name, acc]) => toRow(name, acc, options.topFunctions ?? 5))
        .filter((r) => r.cpuMs > 0)
        .sort((a, b) => b.cpuMs - a.cpuMs || a.name.localeCompare(b.name))
        .slice(0, options.top ?? 10);
    },
  };
}

export function cpuHotspotsByOperation(spans: Iterable<Span>, options: CpuHotspotOptions = {}): CpuHotspotOperation[] {
  const collector = createCpuHotspotCollector();
  for (const span of spans) collector.add(span);
  return collector.finish(options);
}

function toRow(name: string, acc: Accumulator, topFunctions: number): CpuHotspotOperation {
  return {
    name,
    segments: acc.segments,
    wallMs: round(acc.wallMs),
    cpuMs: round(acc.cpuMs),
    cpuShare: acc.wallMs > 0 ? round(acc.cpuMs / acc.wallMs) : 0,
    overlappingSegments: acc.overlapping,
    topFunctions: [...acc.functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs || a.function.localeCompare(b.function))
      .slice(0, topFunctions)
      .map((f) => ({ ...f, selfMs: round(f.selfMs), share: acc.wallMs > 0 ? round(f.selfMs / acc.wallMs) : 0 })),
    profiles: [...acc.profiles].sort(),
  };
}

interface EventFunction {
  function: string;
  location: string;
  selfMs: number;
}

/** The JSON attribute when it parses, else the flat arrays; undefined when neither is usable. */
function readFunctions(attributes: Record<string, AttributeValue>): EventFunction[] | undefined {
  const json = attributes[ATTR_JOTTY_CPU_PROFILE_TOP_FUNCTIONS];
  if (typeof json === "string") {
    try {
      const parsed: unknown = JSON.parse(json);
      if (Array.isArray(parsed)) {
        return parsed.flatMap((item: unknown) => {
          if (typeof item !== "object" || item === null) return [];
          const { function: name, location, selfMs } = item as Record<string, unknown>;
          return typeof name === "string" && typeof selfMs === "number" && Number.isFinite(selfMs)
            ? [{ function: name, location: typeof location === "string" ? location : "", selfMs }]
            : [];
        });
      }
    } catch {
      // fall through to the flat arrays
    }
  }
  const names = attributes[ATTR_JOTTY_CPU_PROFILE_FUNCTIONS];
  const selfMs = attributes[ATTR_JOTTY_CPU_PROFILE_SELF_MS];
  const locations = attributes[ATTR_JOTTY_CPU_PROFILE_LOCATIONS];
  if (!Array.isArray(names) || !Array.isArray(selfMs)) return undefined;
  return names.flatMap((name, i) => {
    const ms = num(selfMs[i]);
    if (typeof name !== "string" || ms === undefined) return [];
    const location = Array.isArray(locations) ? locations[i] : undefined;
    return [{ function: name, location: typeof location === "string" ? location : "", selfMs: ms }];
  });
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
