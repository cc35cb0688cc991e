// OpenLLMetry / Traceloop: traceloop.span.kind on the SDK's decorators, llm.request.type and
// llm.usage.total_tokens beside the gen_ai.* usage on its LLM spans.

import type { Span } from "../../model.js";
import { str } from "./attrs.js";
import { genAiLlm } from "./gen-ai.js";
import { Frame, Role, type Reading } from "./reading.js";

const ATTR_SPAN_KIND = "traceloop.span.kind";
const ATTR_ENTITY_NAME = "traceloop.entity.name";
const ATTR_REQUEST_TYPE = "llm.request.type";
const LLM_REQUEST_TYPES: ReadonlySet<string> = new Set(["chat", "completion", "embedding", "rerank"]);

export function readTraceloop(span: Span): Reading | undefined {
  const attrs = span.attributes;
  const kind = str(attrs, ATTR_SPAN_KIND);
  const label = str(attrs, ATTR_ENTITY_NAME);
  switch (kind) {
    case "workflow":
    case "agent":
    case "task":
      return { role: Role.Other, frame: Frame.Container, label };
    case "tool":
      return { role: Role.Tool, label };
  }
  const requestType = str(attrs, ATTR_REQUEST_TYPE);
  if (requestType !== undefined && LLM_REQUEST_TYPES.has(requestType)) return { role: Role.Llm, llm: genAiLlm(attrs) };
  return undefined;
}
