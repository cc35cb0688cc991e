// The llm_calls of in-flight node:http / node:http2 requests, from the request's end to its
// response: opens the capture (transport-neutral, llm-capture.ts), hands the response body to it
// through the response tap, or the request's failure.
import { context, diag } from "@opentelemetry/api";
import type { Readable } from "node:stream";
import type { BodyObserver } from "../body-observer.js";
import type { CaptureConfig } from "../config.js";
import type { LlmCapture } from "../llm-capture.js";
import { addRequestSecrets } from "../../llm/llm-call.js";
import { requestSecrets, type HeaderEntry } from "../../redaction/request-secrets.js";
import { openCapture } from "../open-capture.js";
import { isTracingSuppressed } from "../../sdk/suppressed-tracing.js";
import { tapResponse } from "./response-tap.js";

export class RequestCaptures<R extends object> {
  readonly #config: CaptureConfig;
  readonly #isActive: () => boolean;
  readonly #open = new WeakMap<R, LlmCapture>();

  constructor(config: CaptureConfig, isActive: () => boolean) {
    this.#config = config;
    this.#isActive = isActive;
  }

  /** The cheap test before a request's body is gathered. */
  wanted(): boolean {
    return this.#isActive() && !isTracingSuppressed(context.active());
  }

  /** The app ends an LLM-looking request: open its llm_call (if it is one) and send it inside it. */
  /** `headers`: the request's headers, read only if the call records an error (for redaction). */
  open(request: R, url: string, body: string, send: () => void, headers: () => Iterable<HeaderEntry>): void {
    let capture: LlmCapture | undefined;
    try {
      capture = openCapture(url, body, this.#config);
    } catch (error) {
      diag.warn("@jotty/otel node:http capture: could not open an llm_call", error);
    }
    if (capture === undefined) return;
    this.#open.set(request, capture);
    addRequestSecrets(capture.handle, () => requestSecrets(url, headers()));
    capture.run(send, undefined, undefined);
  }

  /** The response head arrived: follow its body as the parser delivers it. */
  respond(request: R, body: Readable, status: number, header: (name: string) => string | undefined): void {
    const capture = this.#open.get(request);
    if (capture === undefined) return;
    this.#open.delete(request);
    try {
      const observer = capture.onResponseHead(status, header("content-type") ?? "", hasBody(status, header), header);
      if (observer !== undefined) tapResponse(body, header("content-encoding"), guarded(observer));
    } catch (error) {
      diag.warn("@jotty/otel node:http capture: could not follow the response", error);
    }
  }

  /** The request failed before any response. */
  fail(request: R, error: unknown): void {
    const capture = this.#open.get(request);
    if (capture === undefined) return;
    this.#open.delete(request);
    capture.fail(error);
  }
}

/** Responses without a body: 204, 304, or an empty one announced by its length. */
function hasBody(status: number, header: (name: string) => string | undefined): boolean {
  return status !== 204 && status !== 304 && header("content-length") !== "0";
}

/** The observer runs inside Node's parser callbacks: a failure of ours stops the observing, never the app. */
function guarded(observer: BodyObserver): BodyObserver {
  let observing = true;
  const guard =
    <A extends unknown[]>(step: (...args: A) => void) =>
    (...args: A): void => {
      if (!observing) return;
      try {
        step(...args);
      } catch (error) {
        observing = false;
        diag.warn("@jotty/otel node:http capture: stopped observing a response", error);
      }
    };
  return {
    chunk: guard((bytes) => observer.chunk(bytes)),
    end: guard(() => observer.end()),
    whole: guard((text, parsed) => observer.whole(text, parsed)),
    interrupted: guard((reason) => observer.interrupted(reason)),
    abandoned: guard(() => observer.abandoned()),
  };
}
