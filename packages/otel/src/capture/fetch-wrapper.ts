// Wraps globalThis.fetch. Anything that is not a POST to an LLM-looking path goes straight to
// the original fetch after two cheap checks; LLM requests go through an LlmCapture.
import { context, diag } from "@opentelemetry/api";
import { addRequestSecrets } from "../llm/llm-call.js";
import { fetchRequestSecrets } from "../redaction/request-secrets.js";
import type { CaptureConfig } from "./config.js";
import { looksLikeLlmPath } from "./endpoints.js";
import { isPost, requestUrl } from "./fetch-request.js";
import { followResponse } from "./fetch-response.js";
import type { LlmCapture } from "./llm-capture.js";
import { openCapture } from "./open-capture.js";
import { bodyText, requestBodyText } from "./request-body.js";
import { isTracingSuppressed } from "../sdk/suppressed-tracing.js";

type Fetch = typeof globalThis.fetch;

export function createCapturingFetch(original: Fetch, config: CaptureConfig, isActive: () => boolean): Fetch {
  const send = (input: Parameters<Fetch>[0], init: RequestInit | undefined) => original(input, init);

  function capture(input: Parameters<Fetch>[0], init: RequestInit | undefined, url: string, bodyText: string | undefined): Promise<Response> {
    let call: LlmCapture | undefined;
    try {
      call = openCapture(url, bodyText, config);
    } catch (error) {
      diag.warn("@jotty/otel fetch capture: could not open an llm_call", error);
    }
    if (call === undefined) return send(input, init);
    addRequestSecrets(call.handle, () => fetchRequestSecrets(url, input, init));
    try {
      const opened = call;
      return call.run(original, input, init).then(
        (response) => followResponse(opened, response),
        (error: unknown) => {
          opened.fail(error);
          throw error;
        },
      );
    } catch (error) {
      call.fail(error);
      throw error;
    }
  }

  const fetch = function fetch(input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> {
    if (!isActive()) return send(input, init);
    if (!isPost(input, init)) return send(input, init);
    const url = requestUrl(input);
    if (url === undefined || !looksLikeLlmPath(url) || isTracingSuppressed(context.active())) return send(input, init);
    const body = init?.body;
    if ((body === undefined || body === null) && input instanceof Request) {
      // The body lives in the Request: read a copy first (the app's Request stays unread).
      return requestBodyText(input).then(
        (text) => capture(input, init, url, text),
        () => send(input, init),
      );
    }
    let text: string | undefined;
    try {
      text = bodyText(body);
    } catch {
      text = undefined;
    }
    return capture(input, init, url, text);
  };
  return fetch as Fetch;
}
