// Serialises message content to at most `maxChars` characters while keeping it valid JSON:
// long strings are shortened first (all to the same cap, found by bisection), then the oldest
// array items are dropped. A marker shows where text was cut.

export interface BoundedJson {
  json: string;
  truncated: boolean;
}

const MARK = "…";

export function boundedJson(value: unknown, maxChars: number): BoundedJson {
  const full = JSON.stringify(value) ?? "null";
  if (full.length <= maxChars) return { json: full, truncated: false };

  const withCap = (v: unknown, cap: number): string =>
    JSON.stringify(v, (_key, item: unknown) => (typeof item === "string" && item.length > cap ? item.slice(0, cap) + MARK : item)) ?? "null";

  let items = Array.isArray(value) ? value : undefined;
  for (;;) {
    const subject = items ?? value;
    let low = 0;
    let high = maxChars;
    let best: string | undefined;
    const smallest = withCap(subject, 0);
    if (smallest.length <= maxChars) {
      best = smallest;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        const candidate = withCap(subject, mid);
        if (candidate.length <= maxChars) {
          best = candidate;
          low = mid;
        } else high = mid - 1;
      }
      return { json: best, truncated: true };
    }
    if (items === undefined || items.length === 0) break;
    items = items.slice(1);
  }
  return { json: Array.isArray(value) ? "[]" : "null", truncated: true };
}
