import { envList, envString } from "./env.js";
import { otelCore } from "./sdk-packages.js";

export type OtlpHttpProtocol = "http/protobuf" | "http/json";

export interface OtlpHttpTarget {
  url: string;
  protocol: OtlpHttpProtocol;
  headers: Record<string, string>;
}

/**
 * Where the OTLP/HTTP trace exporter sends, resolved from the same variables and in the same
 * order as the exporter does (signal-specific endpoint as is, else the base endpoint + /v1/traces).
 */
export function resolveOtlpTraceTarget(): OtlpHttpTarget {
  const url = signalUrl("TRACES", "v1/traces");
  const protocol = resolveProtocol();
  const headers: Record<string, string> = {
    ...otelCore().parseKeyPairsIntoRecord(envString("OTEL_EXPORTER_OTLP_HEADERS")),
    ...otelCore().parseKeyPairsIntoRecord(envString("OTEL_EXPORTER_OTLP_TRACES_HEADERS")),
    "Content-Type": otlpContentType(protocol),
  };
  return { url, protocol, headers };
}

/** The OTLP protocol set for a signal (signal-specific variable first), http/protobuf when unset. */
export function otlpProtocolFromEnv(signal: "TRACES" | "METRICS"): string {
  return (envString(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) ?? envString("OTEL_EXPORTER_OTLP_PROTOCOL"))?.trim() || "http/protobuf";
}

export function otlpContentType(protocol: OtlpHttpProtocol): string {
  return protocol === "http/json" ? "application/json" : "application/x-protobuf";
}

function resolveProtocol(): OtlpHttpProtocol {
  const raw = otlpProtocolFromEnv("TRACES");
  if (raw === "http/protobuf") return "http/protobuf";
  if (raw === "http/json") return "http/json";
  process.stderr.write(`@jotty/otel: OTLP protocol "${raw}" is not supported for traces; using http/protobuf\n`);
  return "http/protobuf";
}

/** The OTLP metrics URL when OTEL_METRICS_EXPORTER (default otlp) sends metrics over OTLP. */
export function resolveOtlpMetricsUrl(): string | undefined {
  const names = envList("OTEL_METRICS_EXPORTER") ?? [];
  if (names.includes("none") || (names.length > 0 && !names.includes("otlp"))) return undefined;
  return signalUrl("METRICS", "v1/metrics");
}

function signalUrl(signal: "TRACES" | "METRICS", path: string): string {
  const specific = envString(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`);
  const base = envString("OTEL_EXPORTER_OTLP_ENDPOINT");
  return specific ?? (base ? base.replace(/\/?$/, "/") + path : `http://localhost:4318/${path}`);
}
