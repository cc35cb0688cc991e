import type { ClientRequest, IncomingMessage } from "node:http";
import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import type { convertLegacyHttpOptions } from "@opentelemetry/otlp-exporter-base/node-http";
import { loadSync } from "./load-sync.js";

export type OtlpNodeHttpOptions = ReturnType<typeof convertLegacyHttpOptions>;

// The OTLP exporters' own retry policy (otlp-exporter-base's retrying transport).
const MAX_ATTEMPTS = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;
const MAX_RESPONSE_BODY_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK_ERRORS = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "ENETUNREACH", "EHOSTUNREACH"]);
const USER_AGENT = "OTel-OTLP-Exporter-JavaScript/0.301.0";

/**
 * OTLP/HTTP transport with the stock exporter's behaviour (retries with backoff within the export
 * timeout, Retry-After, gzip, 4 MB response cap) except that it never keeps the process alive:
 * its sockets and retry timers are unref'd, like the SDK's own batch and metric timers. With the
 * stock transport a collector that is down held a finished app for up to the 10 s export timeout
 * (ECONNREFUSED is retried). The exit hooks and shutdown() hold the process for the final flush,
 * within their own bound, and stop() ends every request and retry still pending.
 */
export class BackgroundHttpTransport implements IExporterTransport {
  private readonly pending = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: OtlpNodeHttpOptions) {}

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let backoff = INITIAL_BACKOFF_MS;
    let result = await this.sendOnce(data, timeoutMillis);
    for (let attempts = MAX_ATTEMPTS; result.status === "retryable" && attempts > 0 && !this.stopped; attempts--) {
      const jittered = Math.max(Math.min(backoff * (1 + Math.random() * 2 * JITTER - JITTER), MAX_BACKOFF_MS), 0);
      backoff *= BACKOFF_MULTIPLIER;
      const waitMs = result.retryInMillis ?? jittered;
      const remaining = deadline - Date.now();
      if (waitMs > remaining) return result;
      if (!(await this.wait(Math.max(0, waitMs)))) return result;
      // At least 1 ms: a socket timeout of 0 would mean none.
      result = await this.sendOnce(data, Math.max(1, deadline - Date.now()));
    }
    return result;
  }

  /** Ends every request and retry wait in progress (they settle as failed); later sends fail at once. */
  stop(): void {
    this.stopped = true;
    for (const cancel of [...this.pending]) cancel();
  }

  shutdown(): void {
    this.stop();
  }

  /** Resolves true after ms, or false when stopped first. */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        this.pending.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.pending.delete(cancel);
        resolve(true);
      }, ms);
      timer.unref();
      this.pending.add(cancel);
    });
  }

  private async sendOnce(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    if (this.stopped) return { status: "failure", error: new Error("the exporter was stopped") };
    const url = new URL(this.options.url);
    // Loaded lazily, as the stock transport does; not through import(), whose ES module view of
    // node:http reads its lazy exports and so loads Node's undici.
    const { request } = process.getBuiltinModule(url.protocol === "http:" ? "node:http" : "node:https");
    const [agent, headers] = await Promise.all([this.options.agentFactory(url.protocol), this.options.headers()]);
    if (this.stopped) return { status: "failure", error: new Error("the exporter was stopped") };
    headers["User-Agent"] = this.options.userAgent ? `${this.options.userAgent} ${USER_AGENT}` : USER_AGENT;
    if (this.options.compression === "gzip") headers["Content-Encoding"] = "gzip";
    return new Promise<ExportResponse>((resolve) => {
      let req: ClientRequest | undefined;
      const finish = (response: ExportResponse) => {
        this.pending.delete(cancel);
        resolve(response);
      };
      const cancel = () => {
        req?.destroy();
        finish({ status: "failure", error: new Error("the exporter was stopped") });
      };
      this.pending.add(cancel);
      req = request(url, { method: "POST", headers, agent }, (res) => readResponse(res, finish));
      // A keep-alive socket is ref'd again each time it is reused.
      req.on("socket", (socket) => socket.unref());
      req.setTimeout(timeoutMillis, () => {
        req.destroy();
        finish({ status: "retryable", error: new Error("Request timed out") });
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        finish(RETRYABLE_NETWORK_ERRORS.has(error.code ?? "") ? { status: "retryable", error } : { status: "failure", error });
      });
      // Node's modules are taken when the first export is sent: an ES import of node:zlib or
      // node:stream would load them (and every lazy export of theirs) into every start.
      const { Readable } = process.getBuiltinModule("node:stream");
      const { createGzip } = process.getBuiltinModule("node:zlib");
      const body = Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
      const onStreamError = (error: Error) => finish({ status: "failure", error });
      if (this.options.compression === "gzip") body.on("error", onStreamError).pipe(createGzip()).on("error", onStreamError).pipe(req);
      else body.on("error", onStreamError).pipe(req);
    });
  }
}

function readResponse(res: IncomingMessage, finish: (response: ExportResponse) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const status = res.statusCode ?? 0;
  res.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_RESPONSE_BODY_BYTES) {
      res.destroy();
      finish({ status: "failure", error: new Error(`OTLP export response body exceeded ${MAX_RESPONSE_BODY_BYTES} bytes`) });
      return;
    }
    chunks.push(chunk);
  });
  res.on("end", () => {
    if (status >= 200 && status <= 299) finish({ status: "success", data: Buffer.concat(chunks) });
    else if (RETRYABLE_STATUS.has(status)) finish({ status: "retryable", retryInMillis: retryAfterMs(res.headers["retry-after"]) });
    else finish({ status: "failure", error: exporterError(res.statusMessage, status, Buffer.concat(chunks).toString()) });
  });
  res.on("error", (error) => {
    if (status >= 200 && status <= 299) finish({ status: "success" });
    else if (RETRYABLE_STATUS.has(status)) finish({ status: "retryable", error, retryInMillis: retryAfterMs(res.headers["retry-after"]) });
    else finish({ status: "failure", error });
  });
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (value == null) return undefined;
  const seconds = Number.parseInt(value, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : -1;
  const delay = new Date(value).getTime() - Date.now();
  // biome-ignore lint/complexity/useMathMinMax: an unparsable date gives NaN, which must give 0
  return delay >= 0 ? delay : 0;
}

/** The exporters' own error type (its package is loaded with the exporter, not at start-up). */
function exporterError(message: string | undefined, status: number, body: string): Error {
  const { OTLPExporterError } = loadSync<typeof import("@opentelemetry/otlp-exporter-base")>("@opentelemetry/otlp-exporter-base");
  return new OTLPExporterError(message, status, body);
}
