// Pieces of OTLP JSON lines written as text, for the benchmarks that generate big trace files
// (string concatenation: JSON.stringify of millions of span objects would dominate the run).

/** n as `width` hex digits (trace and span ids). */
export const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** One OTLP JSON attribute: int, double or string by the value's type. */
export const attr = (key: string, value: string | number) =>
  typeof value === "number"
    ? Number.isInteger(value)
      ? `{"key":"${key}","value":{"intValue":"${value}"}}`
      : `{"key":"${key}","value":{"doubleValue":${value}}}`
    : `{"key":"${key}","value":{"stringValue":"${value}"}}`;
