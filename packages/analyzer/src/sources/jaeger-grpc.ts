// Jaeger v2's gRPC QueryService (api_v3, jaeger-idl proto/api_v3/query_service.proto): FindTraces
// streams one OTLP protobuf TracesData per trace. Jaeger encodes protobuf at a fraction of the
// CPU its /api/v3 JSON costs, and that CPU was the limit of reading Jaeger (docs/scale.md).
// Loaded only when a gRPC address is known (jaeger.ts imports it lazily).
import type { ClientHttp2Session } from "node:http2";
import { basicAuthorization } from "./credentials.js";
import { SourceError } from "./errors.js";
import { GrpcError, grpcCall, grpcSession } from "./grpc-call.js";
import type { Window } from "./jaeger-windows.js";
import type { Locator, SpanSink } from "./otlp-json.js";
import { OtlpProtoReader } from "./otlp-proto.js";
import { ProtobufError, ProtoReader, ProtoWriter, WireType } from "./protobuf-wire.js";
import type { WarningLog } from "./warnings.js";

const SERVICE = "/jaeger.api_v3.QueryService";
const CONNECT_TIMEOUT_MS = 3000;

function timestamp(ns: bigint): ProtoWriter {
  // google.protobuf.Timestamp {int64 seconds = 1; int32 nanos = 2}
  return new ProtoWriter().uint(1, ns / 1_000_000_000n).uint(2, ns % 1_000_000_000n);
}

/** FindTracesRequest {TraceQueryParameters query = 1} for one window, raw traces (no adjusters). */
export function findTracesRequest(window: Window, pageSize: number): Buffer {
  const query = new ProtoWriter()
    .string(1, window.service)
    .message(4, timestamp(window.minNs))
    .message(5, timestamp(window.maxNs))
    .uint(8, pageSize)
    .uint(9, 1);
  return new ProtoWriter().message(1, query).finish();
}

/** GetServicesResponse {repeated string services = 1}. */
export function servicesOf(message: Buffer): string[] {
  const r = new ProtoReader(message, 0, message.length);
  const services: string[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Length)) services.push(r.string());
    else r.skip(tag & 7);
  }
  return services;
}

export class JaegerGrpc {
  private constructor(
    private readonly session: ClientHttp2Session,
    private readonly metadata: Record<string, string>,
    private readonly origin: string,
  ) {}

  /**
   * Connects to `address` (host:port, or an http(s):// URL for TLS); the HTTP URL's credentials
   * and the headers go along as metadata.
   */
  static async connect(address: string, httpUrl: string, headers: Readonly<Record<string, string>> = {}): Promise<JaegerGrpc> {
    const origin = /^[a-z]+:\/\//i.test(address) ? new URL(address).origin : `http://${address}`;
    const metadata: Record<string, string> = { ...basicAuthorization(new URL(httpUrl)) };
    for (const [name, value] of Object.entries(headers)) metadata[name.toLowerCase()] = value;
    return new JaegerGrpc(await grpcSession(origin, CONNECT_TIMEOUT_MS), metadata, origin);
  }

  async services(signal?: AbortSignal): Promise<string[]> {
    let services: string[] = [];
    await grpcCall(this.session, `${SERVICE}/GetServices`, Buffer.alloc(0), (m) => (services = servicesOf(m)), { signal, metadata: this.metadata });
    return services;
  }

  /**
   * The spans of a window's traces into `sink`, each trace's TracesData read as it arrives; the
   * traces come newest first, as the store answers the search.
   */
  async readWindow(window: Window, pageSize: number, sink: SpanSink, warnings: WarningLog, where: Locator, signal?: AbortSignal): Promise<void> {
    const reader = new OtlpProtoReader(warnings, sink);
    try {
      await grpcCall(this.session, `${SERVICE}/FindTraces`, findTracesRequest(window, pageSize), (message) => reader.tracesData(message, where), {
        signal,
        metadata: this.metadata,
      });
    } catch (error) {
      if (error instanceof GrpcError) throw new SourceError(`Jaeger gRPC at ${this.origin}: FindTraces failed (code ${error.code}: ${error.message})`);
      if (error instanceof ProtobufError) throw new SourceError(`Jaeger gRPC at ${this.origin} answered FindTraces with invalid protobuf (${error.message})`);
      throw error;
    }
  }

  close(): void {
    this.session.close();
  }
}
