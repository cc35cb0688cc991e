// An OTLP/HTTP trace receiver on a free port, standing in for a collector or a vendor's OTLP
// endpoint (Traceloop's /v1/traces, Langfuse's /api/public/otel/v1/traces). It accepts the JSON
// and the protobuf encoding on any path and keeps each span's name, ids and scope.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  name: string;
  scope: string;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** Paths and content types of the requests, in order. */
  requests: { path: string; contentType: string; authorization?: string }[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpReceiver["requests"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const contentType = String(req.headers["content-type"] ?? "");
      requests.push({ path: req.url ?? "", contentType, authorization: req.headers.authorization });
      if (req.url?.endsWith("/v1/traces")) spans.push(...(contentType.includes("json") ? jsonSpans(body) : protobufSpans(body)));
      res
        .writeHead(200, { "content-type": contentType.includes("json") ? "application/json" : "application/x-protobuf" })
        .end(contentType.includes("json") ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface JsonRequest {
  resourceSpans?: { scopeSpans?: { scope?: { name?: string }; spans?: { traceId: string; spanId: string; name: string }[] }[] }[];
}

function jsonSpans(body: Buffer): ReceivedSpan[] {
  const doc = JSON.parse(body.toString("utf8")) as JsonRequest;
  return (doc.resourceSpans ?? []).flatMap((r) =>
    (r.scopeSpans ?? []).flatMap((s) => (s.spans ?? []).map((sp) => ({ traceId: sp.traceId, spanId: sp.spanId, name: sp.name, scope: s.scope?.name ?? "" }))),
  );
}

// The few ExportTraceServiceRequest fields the tests read, decoded by hand: the OTLP packages in
// the tree only encode requests, and the protobuf runtime they use ships no OTLP schema.
// resource_spans = 1 → scope_spans = 2 → { scope = 1 → name = 1; spans = 2 → trace_id = 1, span_id = 2, name = 5 }.
function protobufSpans(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of fields(body, 1)) {
    for (const scopeSpans of fields(resourceSpans, 2)) {
      const scope = fields(scopeSpans, 1)[0];
      const scopeName = scope ? (fields(scope, 1)[0]?.toString("utf8") ?? "") : "";
      for (const span of fields(scopeSpans, 2)) {
        spans.push({
          traceId: fields(span, 1)[0]?.toString("hex") ?? "",
          spanId: fields(span, 2)[0]?.toString("hex") ?? "",
          name: fields(span, 5)[0]?.toString("utf8") ?? "",
          scope: scopeName,
        });
      }
    }
  }
  return spans;
}

/** The length-delimited values of field `wanted` in one protobuf message (other wire types skipped). */
function fields(message: Buffer, wanted: number): Buffer[] {
  const found: Buffer[] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = message[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (at < message.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (field === wanted) found.push(message.subarray(at, at + length));
      at += length;
    } else throw new Error(`protobuf wire type ${wire} is not expected in OTLP traces`);
  }
  return found;
}
