import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { loadSync } from "./load-sync.js";
import type { OtlpHttpProtocol } from "./otlp-endpoint.js";

type Transformer = typeof import("@opentelemetry/otlp-transformer");

/** Serializes spans as the OTLP/HTTP exporter would (its package loaded on first use). */
export function serializeSpans(protocol: OtlpHttpProtocol, spans: ReadableSpan[]): Uint8Array | undefined {
  const transformer = loadSync<Transformer>("@opentelemetry/otlp-transformer");
  return (protocol === "http/json" ? transformer.JsonTraceSerializer : transformer.ProtobufTraceSerializer).serializeRequest(spans);
}
