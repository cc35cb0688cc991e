// Prometheus sample values no counter can hold: a counter's increase is never negative, and past
// 2^53 a float no longer counts anything exactly (1e308 spans, tokens or dollars). Such values are
// refused, never summed, and the report says how many and where. A histogram quantile's NaN or
// +Inf is Prometheus's normal answer for no observations or the top bucket: left out silently.

/** A sample value as Prometheus writes it ("+Inf" and "-Inf" are not JavaScript's spelling). */
export function sampleValue(text: unknown): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

/** The largest integer a float holds exactly. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

export class RefusedSamples {
  count = 0;
  private example = "";

  /** Whether the sample value can be used; counts it when it cannot. */
  accept(value: number, metric: string, labels: Record<string, string>, quantile: boolean): boolean {
    if (Number.isFinite(value) && value >= 0 && value <= MAX_COUNT) return true;
    if (quantile && (Number.isNaN(value) || value === Infinity)) return false;
    // The queries answer in any order: the example is the first in text order, not the first seen.
    const text = `${metric}${labelText(labels)} = ${value}`;
    if (this.count++ === 0 || text < this.example) this.example = text;
    return false;
  }

  warning(): string | undefined {
    if (this.count === 0) return undefined;
    return `${this.count} Prometheus value(s) no counter can hold (negative, not finite or over 2^53): refused, not summed (e.g. ${this.example})`;
  }
}

const labelText = (labels: Record<string, string>): string => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
};
