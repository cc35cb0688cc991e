// The fetch transport's side of a capture: hands the Response's body to the capture's observer,
// on the app's very Response object.
import { diag } from "@opentelemetry/api";
import { framingOf } from "./body-observer.js";
import { observeBody } from "./fetch-body.js";
import type { LlmCapture } from "./llm-capture.js";

/** Follows the response as the app reads it; the app gets the very same Response object. */
export function followResponse(capture: LlmCapture, response: Response): Response {
  try {
    const contentType = response.headers.get("content-type") ?? "";
    const observer = capture.onResponseHead(response.status, contentType, response.body !== null, (name) => response.headers.get(name) ?? undefined);
    if (observer === undefined) return response;
    if (!response.ok && capture.owned) {
      // Our own span: read a copy of the error body now, so the span ends even if the app never reads it.
      response
        .clone()
        .text()
        .then(
          (text) => observer.whole(text),
          (error: unknown) => observer.interrupted(error),
        );
      return response;
    }
    observeBody(response, observer, response.ok && framingOf(contentType) !== "json");
  } catch (error) {
    diag.warn("@jotty/otel fetch capture: could not follow the response", error);
    capture.finish({});
  }
  return response;
}
