// Durations kept for percentiles, one a span: a growable Float64Array instead of an array of
// numbers, so ten million of them are 80 MB off the heap rather than boxed doubles the garbage
// collector walks, and a worker thread hands them over with one copy. Plain data, for the same
// reason (merge-state.ts appends one to another).

export interface Samples {
  values: Float64Array;
  length: number;
}

export const samples = (): Samples => ({ values: new Float64Array(4), length: 0 });

export function addSample(s: Samples, value: number): void {
  if (s.length === s.values.length) grow(s, Math.ceil(s.length * 1.5));
  s.values[s.length++] = value;
}

export function appendSamples(into: Samples, from: Samples): void {
  if (into.length + from.length > into.values.length) grow(into, into.length + from.length);
  into.values.set(from.values.subarray(0, from.length), into.length);
  into.length += from.length;
}

/** Every value of the lists, sorted ascending. */
export function sortedSamples(...lists: Samples[]): Float64Array {
  const out = new Float64Array(lists.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of lists) {
    out.set(s.values.subarray(0, s.length), at);
    at += s.length;
  }
  return out.sort();
}

export const isSamples = (value: unknown): value is Samples =>
  typeof value === "object" && value !== null && (value as Samples).values instanceof Float64Array && typeof (value as Samples).length === "number";

function grow(s: Samples, capacity: number): void {
  const values = new Float64Array(capacity);
  values.set(s.values.subarray(0, s.length));
  s.values = values;
}
