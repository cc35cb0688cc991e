// The transport-neutral entry: a request's URL and body text in, an LlmCapture out when it is a
// call to a known LLM API (the transport then runs the request through it and feeds it the response).
import { context, trace } from "@opentelemetry/api";
import { ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, ATTR_JOTTY_LLM_NESTED_IN_INFERENCE_SPAN } from "@jotty/engine/semconv";
import { getActiveLlmCall, startLlmCall, type ActiveLlmCall } from "../llm/llm-call.js";
import type { CaptureConfig } from "./config.js";
import { endpointOf } from "./endpoints.js";
import { isInferenceSpan } from "./inference-span.js";
import { LlmCapture } from "./llm-capture.js";
import { parseJsonObject } from "./wire/json.js";

/** Opens a capture when `url` + `bodyText` are a request to a known LLM API; else undefined. */
export function openCapture(url: string, bodyText: string | undefined, config: CaptureConfig): LlmCapture | undefined {
  if (bodyText === undefined) return undefined;
  const endpoint = endpointOf(url);
  if (endpoint === undefined) return undefined;
  const adapter = endpoint.adapter;
  const body = parseJsonObject(bodyText);
  if (body === undefined || !adapter.bodyMatches(body, endpoint.pathModel)) return undefined;

  const model = typeof body.model === "string" ? body.model : (endpoint.pathModel ?? "unknown");
  const stream = endpoint.pathStream ?? adapter.requestStreams(body);
  const outer = getActiveLlmCall();
  let call: ActiveLlmCall;
  if (outer !== undefined) {
    // The app's own llmCall() names provider and operation; the wire tells the rest.
    outer.handle.setRequest({ model, stream, serverAddress: endpoint.serverAddress, serverPort: endpoint.serverPort });
    call = outer;
  } else {
    // Another instrumentation's span for this very call: ours is its provider-direct child, marked
    // so the analyzer counts the two once (or, switched off, the call is left to that one).
    const nested = isInferenceSpan(trace.getSpan(context.active()));
    if (nested && !config.insideInferenceSpans) return undefined;
    call = startLlmCall({
      provider: endpoint.provider,
      model,
      operation: endpoint.operation,
      stream,
      serverAddress: endpoint.serverAddress,
      serverPort: endpoint.serverPort,
    });
    if (nested) call.handle.setAttributes({ [ATTR_JOTTY_LLM_NESTED_IN_INFERENCE_SPAN]: true });
  }
  const capture = new LlmCapture(adapter, call, outer === undefined, config);
  // Sampled out or no SDK: keep the trace context for the HTTP span, skip all the work.
  if (!call.span.isRecording()) return capture.passThrough();
  capture.hashLater(body, model, bodyText);
  if (config.captureContent) {
    const content = adapter.requestContent(body);
    if (content !== undefined) {
      capture.setContent(ATTR_GEN_AI_INPUT_MESSAGES, content.input);
      if (content.system !== undefined) capture.setContent(ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, content.system);
    }
  }
  return capture;
}
