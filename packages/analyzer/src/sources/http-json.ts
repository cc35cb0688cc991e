// GET a JSON body from a query API, turning every way it can fail into one SourceError line.
import { SourceError } from "./errors.js";

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
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function getJson(url: URL, options: GetJsonOptions): Promise<JsonResponse> {
  const where = `${options.system} at ${url.origin}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { signal, headers: { accept: "application/json" } });
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw new SourceError(`${where} did not answer ${url.pathname} within ${(options.timeoutMs ?? 60_000) / 1000} s`);
    throw new SourceError(`${where} is unreachable (${networkCause(error)}); ${options.unreachableHint}`);
  }
  const accepted = options.acceptStatus?.includes(response.status) ?? false;
  if (/^\s*</.test(text)) {
    throw new SourceError(
      `${where} answered ${url.pathname} with HTML (HTTP ${response.status}), not JSON; is the URL the ${options.system} API's address?`,
    );
  }
  if (!response.ok && !accepted) {
    throw new SourceError(`${where} answered ${url.pathname} with HTTP ${response.status}: ${oneLine(errorMessage(text))}`);
  }
  let body: unknown;
  try {
    body = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    if (!response.ok) return { status: response.status, body: text }; // an accepted error status
    throw new SourceError(`${where} answered ${url.pathname} with a body that is not JSON: ${oneLine(text)}`);
  }
  return { status: response.status, body };
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
