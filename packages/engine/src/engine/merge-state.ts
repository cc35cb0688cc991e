// Report-builder state computed over separate parts of one input (a file read by worker
// threads) folded together. Most of it merges structurally: counts and times add up, duration
// lists concatenate, maps merge by key; the few fields that do not (maxima, capped lists,
// all-of flags) are named by each aggregate. Parts are merged in input order, so the "first"
// examples and capped lists keep what a single pass would have kept.

import { EXAMPLE_TRACES } from "./constants.js";
import { addExample, type Example } from "./recommendations/types.js";
import { appendSamples, isSamples } from "./samples.js";

export interface MergeRules {
  /** Numeric fields that keep the larger value instead of the sum. */
  max?: readonly string[];
  /** Boolean fields that hold only when they hold in every part (default: in any part). */
  and?: readonly string[];
  /** Lists and sets kept up to this length, first come first. */
  caps?: Readonly<Record<string, number>>;
}

/** Thrown when two parts cannot be merged into exactly what one pass would report. */
export class PartsNotMergeable extends Error {
  override readonly name = "PartsNotMergeable";
}

type Bag = Record<string, unknown>;

/** Folds `from` (a later part's state, the same shape) into `into`; returns the merged value. */
export function mergeValue(into: unknown, from: unknown, rules: MergeRules = {}, key = ""): unknown {
  if (into === undefined) return from;
  if (from === undefined) return into;
  if (isSamples(into) && isSamples(from)) {
    appendSamples(into, from);
    return into;
  }
  if (typeof into === "number" && typeof from === "number") return rules.max?.includes(key) ? Math.max(into, from) : into + from;
  if (typeof into === "boolean" && typeof from === "boolean") return rules.and?.includes(key) ? into && from : into || from;
  if (Array.isArray(into) && Array.isArray(from)) {
    if (from.length > 0 && isExample(from[0])) {
      for (const e of from as Example[]) addExample(into as Example[], e.traceId, e.spanId, EXAMPLE_TRACES);
      return into;
    }
    const room = (rules.caps?.[key] ?? Infinity) - into.length;
    for (let i = 0; i < from.length && i < room; i++) into.push(from[i]);
    return into;
  }
  if (into instanceof Map && from instanceof Map) {
    for (const [k, v] of from) into.set(k, into.has(k) ? mergeValue(into.get(k), v, rules, key) : v);
    return into;
  }
  if (into instanceof Set && from instanceof Set) {
    const cap = rules.caps?.[key] ?? Infinity;
    for (const v of from) if (into.size < cap) into.add(v);
    return into;
  }
  if (typeof into === "object" && into !== null && typeof from === "object" && from !== null) {
    for (const k of Object.keys(from)) (into as Bag)[k] = mergeValue((into as Bag)[k], (from as Bag)[k], rules, k);
    return into;
  }
  return into; // names and other identity strings: the same in every part
}

const isExample = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "traceId" in value && "spanId" in value && Object.keys(value).length === 2;
