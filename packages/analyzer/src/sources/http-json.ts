// GET a JSON answer from a query API (Jaeger, Prometheus), turning every way it can fail into
// one SourceError line. Redirects are followed only within the URL's origin, so credentials never
// travel to another host; credentials in the URL become a Basic Authorization header and are
// never printed.
import { SourceError } from "./errors.js";
import { basicAuthorization, withoutCredentials } from "./credentials.js";

export interface JsonResponse {
  status: number;
  body: unknown;
}

export interface GetJsonOptions {
  /** Name used in error lines, e.g. "Jaeger". */
  system: string;
  /** Advice appended when the server cannot be reached. */
  unreachableHint: string;
  /** Statuses returned to the caller instead of failing (e.g. Jaeger's 404 "No traces found"). */
  acceptStatus?: readonly number[];
  /** Request headers (auth for a secured server); never printed. */
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Error bodies and small answers (services, Prometheus vectors) are read up to this size. */
const MAX_SMALL_BODY_BYTES = 64 << 20;
const ERROR_BODY_BYTES = 64 << 10;

/** GETs `url` and parses the whole answer (for small answers; pages of traces use streamJson). */
export async function getJson(url: URL, options: GetJsonOptions): Promise<JsonResponse> {
  const call = await open(url, options);
  const where = `${options.system} at ${url.origin}`;
  const text = await call.read(MAX_SMALL_BODY_BYTES, (bytes) => `${where} answered ${url.pathname} with more than ${bytes >> 20} MiB`);
  if (call.response.ok && /^\s*</.test(text)) throw htmlAnswer(where, url, call.response.status, options.system);
  let body: unknown;
  try {
    body = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    if (!call.response.ok) return { status: call.response.status, body: text }; // an accepted error status
    throw new SourceError(`${where} answered ${url.pathname} with a body that is not JSON: ${oneLine(text)}`);
  }
  return { status: call.response.status, body };
}

/**
 * GETs `url` and hands a successful answer to `consume` chunk by chunk, so a page of any size is
 * never held whole. An accepted error status is returned with its (small) body instead.
 */
export async function streamJson(
  url: URL,
  options: GetJsonOptions,
  consume: (chunk: string) => void,
): Promise<JsonResponse | { status: number; streamed: number }> {
  const call = await open(url, options);
  if (!call.response.ok) return getBody(call);
  const where = `${options.system} at ${url.origin}`;
  let streamed = 0;
  let first = true;
  await call.each((chunk) => {
    streamed += Buffer.byteLength(chunk);
    if (first && /\S/.test(chunk)) {
      first = false;
      if (/^\s*</.test(chunk)) throw htmlAnswer(where, url, call.response.status, options.system);
    }
    consume(chunk);
  });
  return { status: call.response.status, streamed };
}

async function getBody(call: OpenCall): Promise<JsonResponse> {
  const text = await call.read(ERROR_BODY_BYTES);
  try {
    return { status: call.response.status, body: JSON.parse(text) };
  } catch {
    return { status: call.response.status, body: text };
  }
}

interface OpenCall {
  response: Response;
  /** The body as text, cut at `limit` bytes (or failing with `tooLong` when given). */
  read(limit: number, tooLong?: (limit: number) => string): Promise<string>;
  each(consume: (chunk: string) => void): Promise<void>;
}

/** The final answer after same-origin redirects; fails with one line unless its status is ok or accepted. */
async function open(url: URL, options: GetJsonOptions): Promise<OpenCall> {
  const where = `${options.system} at ${url.origin}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const target = new URL(withoutCredentials(url.href));
  const headers: Record<string, string> = { accept: "application/json", ...basicAuthorization(url), ...options.headers };
  const failed = (error: unknown, doing: string): unknown => {
    if (error instanceof SourceError) return error;
    if (options.signal?.aborted) return options.signal.reason;
    if (timeout.aborted) return new SourceError(`${where} did not ${doing} ${url.pathname} within ${timeoutMs / 1000} s`);
    return undefined;
  };
  let response: Response | undefined;
  for (let hop = 0; ; hop++) {
    try {
      response = await fetch(target, { signal, headers, redirect: "manual" });
    } catch (error) {
      throw failed(error, "answer") ?? new SourceError(`${where} is unreachable (${networkCause(error)}); ${options.unreachableHint}`);
    }
    if (!REDIRECTS.has(response.status)) break;
    await response.body?.cancel();
    const location = response.headers.get("location");
    const next = location === null ? undefined : URL.parse(location, target.href);
    if (next === undefined || next === null) throw new SourceError(`${where} redirected ${url.pathname} without a usable Location`);
    if (next.origin !== url.origin) {
      throw new SourceError(
        `${where} redirected ${url.pathname} to another origin (${printableOrigin(next)}); not followed, so no credential leaves ${url.origin}: pass that address as the ${options.system} URL if you trust it`,
      );
    }
    if (hop >= MAX_REDIRECTS) throw new SourceError(`${where} redirected ${url.pathname} more than ${MAX_REDIRECTS} times`);
    target.pathname = next.pathname;
    target.search = next.search;
  }
  const final = response;
  let received = 0;
  const each = async (consume: (chunk: string) => void, stopAfter = Infinity): Promise<void> => {
    if (final.body === null) return;
    const decoder = new TextDecoder();
    let consumerError: unknown;
    const hand = (text: string) => {
      try {
        consume(text);
      } catch (error) {
        consumerError = error;
        throw error;
      }
    };
    try {
      for await (const bytes of final.body) {
        received += bytes.byteLength;
        hand(decoder.decode(bytes, { stream: true }));
        if (received >= stopAfter) return; // leaving the loop cancels the rest of the body
      }
      hand(decoder.decode());
    } catch (error) {
      if (error === consumerError) throw error; // the consumer's own failure, not the network's
      const known = failed(error, "finish answering");
      if (known !== undefined) throw known;
      throw new SourceError(`${where}: the answer to ${url.pathname} broke off after ${describeBytes(received)} (${networkCause(error)})`);
    }
  };
  const call: OpenCall = {
    response: final,
    each: (consume) => each(consume),
    read: async (limit, tooLong) => {
      let text = "";
      await each((chunk) => (text += chunk), limit);
      if (received > limit) {
        if (tooLong !== undefined) throw new SourceError(tooLong(limit));
        text = text.slice(0, limit);
      }
      return text;
    },
  };
  if (!final.ok && !(options.acceptStatus?.includes(final.status) ?? false)) {
    const text = await call.read(ERROR_BODY_BYTES);
    if (/^\s*</.test(text)) throw htmlAnswer(where, url, final.status, options.system);
    throw new SourceError(`${where} answered ${url.pathname} with HTTP ${final.status}: ${oneLine(errorMessage(text))}`);
  }
  return call;
}

function htmlAnswer(where: string, url: URL, status: number, system: string): SourceError {
  return new SourceError(`${where} answered ${url.pathname} with HTML (HTTP ${status}), not JSON; is the URL the ${system} API's address?`);
}

function printableOrigin(url: URL): string {
  return url.origin === "null" ? `${url.protocol}…` : url.origin;
}

function describeBytes(bytes: number): string {
  return bytes < 1 << 20 ? `${bytes} bytes` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function networkCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause !== null && typeof cause === "object" && "code" in cause && typeof cause.code === "string") {
    const address = "address" in cause && "port" in cause ? ` ${String(cause.address)}:${String(cause.port)}` : "";
    return `${cause.code}${address}`;
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/** The message inside a gRPC-gateway error body ({error: {message}}), or the raw text. */
export function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    const message = body?.error?.message ?? body?.message ?? body?.error;
    if (typeof message === "string") return message;
  } catch {
    // not JSON: the raw text is the message
  }
  return text;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || "(empty body)";
}
