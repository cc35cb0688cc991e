// Request headers for a secured Jaeger or Prometheus: --header 'Name: value' (curl's form) and
// JAEGER_HEADERS / PROMETHEUS_HEADERS in the OTEL_EXPORTER_OTLP_HEADERS form (name=value,...,
// values URL-encoded), read by OpenTelemetry's own parser. Values are never printed.
import { parseKeyPairsIntoRecord } from "@opentelemetry/core";
import { UsageError } from "./usage-error.js";

export type Headers = Readonly<Record<string, string>>;

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\r\n\0]/;

/** One --header value as [name, value]; a UsageError (naming no value) when malformed. */
export function parseHeaderFlag(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon < 0 ? "" : text.slice(0, colon).trim();
  const value = colon < 0 ? "" : text.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) throw new UsageError("--header expects 'Name: value' with a header name before the colon.");
  if (BAD_VALUE.test(value)) throw new UsageError(`--header ${name}: the value holds a line break or NUL.`);
  return [name.toLowerCase(), value];
}

/** Headers from an environment variable; names or values a server would refuse are a UsageError. */
export function headersFromEnv(variable: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseKeyPairsIntoRecord(env[variable]))) {
    if (!HEADER_NAME.test(name)) throw new UsageError(`${variable}: a header name holds characters a header name cannot.`);
    if (BAD_VALUE.test(value)) throw new UsageError(`${variable}: the value of ${name} holds a line break or NUL.`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}
