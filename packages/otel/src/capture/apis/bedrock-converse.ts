// Amazon Bedrock Converse (`…/model/{id}/converse`) and ConverseStream (`…/converse-stream`): one
// request and response format for every model. Converse content blocks are unions keyed by kind
// ({text}, {toolUse}, {toolResult}, {reasoningContent}, {image}, …). Bedrock echoes neither the
// model nor an id; usage excludes cache reads and writes from `inputTokens` (usageFromBedrock).
import { usageFromBedrock } from "../../llm/usage-adapters.js";
import type { LlmApiAdapter } from "../wire/api-adapter.js";
import { isObject, str, withFinishReason, type Message, type Part, type RequestContent } from "../wire/content.js";
import type { ResponseSummary } from "../wire/summary.js";
import { ConverseStreamAccumulator } from "./bedrock-converse-stream.js";
import { bedrockPathFields } from "./bedrock-paths.js";

export function converseParts(content: unknown): Part[] {
  if (!Array.isArray(content)) return [];
  return content.map((block): Part => {
    if (!isObject(block)) return { type: "unknown" };
    if (typeof block.text === "string") return { type: "text", content: block.text };
    if (isObject(block.toolUse)) {
      return { type: "tool_call", id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: block.toolUse.input };
    }
    if (isObject(block.toolResult)) {
      return { type: "tool_call_response", id: block.toolResult.toolUseId, response: block.toolResult.content };
    }
    if (isObject(block.reasoningContent) && isObject(block.reasoningContent.reasoningText)) {
      return { type: "reasoning", content: block.reasoningContent.reasoningText.text };
    }
    return { type: Object.keys(block)[0] ?? "unknown" };
  });
}

export function converseMessages(messages: unknown): Message[] {
  if (!Array.isArray(messages)) return [];
  return messages.filter(isObject).map((m) => ({ role: str(m.role) ?? "user", parts: converseParts(m.content) }));
}

/** A complete Converse response: {output: {message}, stopReason, usage, metrics}. Also Amazon Nova's InvokeModel body. */
export function summarizeConverse(body: unknown, captureContent: boolean): ResponseSummary {
  if (!isObject(body)) return {};
  const summary: ResponseSummary = {};
  if (isObject(body.usage)) summary.rawUsage = body.usage;
  const reason = str(body.stopReason);
  if (reason !== undefined) summary.finishReasons = [reason];
  if (captureContent && isObject(body.output) && isObject(body.output.message)) {
    summary.outputMessages = [withFinishReason({ role: "assistant", parts: converseParts(body.output.message.content) }, reason)];
  }
  return summary;
}

export const bedrockConverse: LlmApiAdapter = {
  api: "aws.bedrock.converse",
  ...bedrockPathFields("converse"),
  bodyMatches: (body) => Array.isArray(body.messages),
  requestContent(body) {
    const content: RequestContent = { input: converseMessages(body.messages) };
    if (Array.isArray(body.system)) content.system = converseParts(body.system);
    return content;
  },
  summarizeJson: summarizeConverse,
  streamAccumulator: (captureContent) => new ConverseStreamAccumulator(captureContent),
  usage: usageFromBedrock,
};
