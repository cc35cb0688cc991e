// Anthropic Messages (`…/messages`). In a stream, message_start carries id, model and the input
// usage; the final message_delta the cumulative usage (its fields win) and the stop reason.
import { usageFromAnthropic } from "../../llm/usage-adapters.js";
import { streamFlag, type LlmApiAdapter } from "../wire/api-adapter.js";
import {
  errorOf,
  isObject,
  otherPart,
  parseArguments,
  str,
  textPart,
  withFinishReason,
  type Message,
  type Part,
  type RequestContent,
} from "../wire/content.js";
import { parseJsonObject, type JsonObject } from "../wire/json.js";
import { eventType, type Accumulator, type ResponseSummary } from "../wire/summary.js";
import { blockToolCalls, type ToolCallPrint } from "../wire/tool-calls.js";

const ANTHROPIC_BLOCK = /message_|error/;

function parts(content: unknown): Part[] {
  if (typeof content === "string") return [textPart(content)];
  if (!Array.isArray(content)) return [];
  return content.map((block): Part => {
    if (!isObject(block)) return otherPart(block);
    switch (block.type) {
      case "text":
        return textPart(block.text);
      case "tool_use":
        return { type: "tool_call", id: block.id, name: block.name, arguments: block.input };
      case "tool_result":
        return { type: "tool_call_response", id: block.tool_use_id, response: block.content };
      case "thinking":
        return { type: "reasoning", content: block.thinking };
      default:
        return otherPart(block);
    }
  });
}

function summarizeJson(body: unknown, captureContent: boolean): ResponseSummary {
  if (!isObject(body)) return {};
  const summary: ResponseSummary = {};
  const model = str(body.model);
  if (model !== undefined) summary.model = model;
  const id = str(body.id);
  if (id !== undefined) summary.id = id;
  if (body.usage !== undefined && body.usage !== null) summary.rawUsage = body.usage;
  const reason = str(body.stop_reason);
  if (reason !== undefined) summary.finishReasons = [reason];
  const toolCalls: ToolCallPrint[] = [];
  blockToolCalls(body.content, toolCalls);
  if (toolCalls.length > 0) summary.toolCalls = toolCalls;
  if (captureContent) summary.outputMessages = [withFinishReason({ role: "assistant", parts: parts(body.content) }, reason)];
  return summary;
}

class AnthropicAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  readonly #blocks = new Map<number, { type: string; text: string; id?: string; name?: string }>();
  #usage: JsonObject | undefined;
  complete = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(block: string): boolean {
    return this.#content || ANTHROPIC_BLOCK.test(block);
  }

  wantsLargeEvent(head: string): boolean {
    return this.#content || ANTHROPIC_BLOCK.test(head);
  }

  get onlyTailNeeded(): boolean {
    return this.#usage !== undefined && !this.#content;
  }

  event(event: string, data: string): void {
    const type = eventType(event, data);
    if (type === "message_stop") this.complete = true;
    const isBlock = type === "content_block_start" || type === "content_block_delta";
    if (!(type === "message_start" || type === "message_delta" || type === "error" || (isBlock && this.#content))) return;
    const payload = parseJsonObject(data);
    if (payload === undefined) return;
    const summary = this.#summary;
    switch (type) {
      case "message_start": {
        const message = isObject(payload.message) ? payload.message : {};
        summary.id = str(message.id);
        summary.model = str(message.model);
        if (isObject(message.usage)) this.#usage = { ...message.usage };
        break;
      }
      case "message_delta": {
        const delta = isObject(payload.delta) ? payload.delta : {};
        const reason = str(delta.stop_reason);
        if (reason !== undefined) summary.finishReasons = [reason];
        if (isObject(payload.usage)) {
          this.#usage ??= {};
          for (const [key, value] of Object.entries(payload.usage)) {
            if (value !== null && value !== undefined) this.#usage[key] = value;
          }
        }
        break;
      }
      case "error":
        Object.assign(summary, errorOf(isObject(payload.error) ? payload.error : {}, ["type"], "error"));
        break;
      case "content_block_start": {
        const block = isObject(payload.content_block) ? payload.content_block : {};
        const entry: { type: string; text: string; id?: string; name?: string } = { type: str(block.type) ?? "unknown", text: str(block.text) ?? "" };
        const id = str(block.id);
        const name = str(block.name);
        if (id !== undefined) entry.id = id;
        if (name !== undefined) entry.name = name;
        this.#blocks.set(Number(payload.index ?? 0), entry);
        break;
      }
      case "content_block_delta": {
        const block = this.#blocks.get(Number(payload.index ?? 0));
        const delta = isObject(payload.delta) ? payload.delta : {};
        if (block !== undefined) block.text += str(delta.text) ?? str(delta.partial_json) ?? str(delta.thinking) ?? "";
        break;
      }
    }
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    if (this.#usage !== undefined) summary.rawUsage = this.#usage;
    if (this.#content) {
      const blocks = [...this.#blocks.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, block]): Part => {
          if (block.type === "text") return { type: "text", content: block.text };
          if (block.type === "tool_use") return { type: "tool_call", id: block.id, name: block.name, arguments: parseArguments(block.text) };
          if (block.type === "thinking") return { type: "reasoning", content: block.text };
          return { type: block.type };
        });
      summary.outputMessages = [withFinishReason({ role: "assistant", parts: blocks }, summary.finishReasons?.[0])];
    }
    return summary;
  }
}

export const anthropicMessages: LlmApiAdapter = {
  api: "anthropic.messages",
  operation: "chat",
  defaultProvider: "anthropic",
  pathTails: ["messages"],
  matchPath: (path) => (path.endsWith("/messages") ? {} : undefined),
  bodyMatches: (body) => typeof body.model === "string" && Array.isArray(body.messages),
  requestStreams: streamFlag,
  requestContent: (body) => {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const content: RequestContent = {
      input: messages.filter(isObject).map((m): Message => ({ role: String(m.role), parts: parts(m.content) })),
    };
    if (body.system !== undefined) content.system = parts(body.system);
    return content;
  },
  summarizeJson,
  streamAccumulator: (captureContent) => new AnthropicAccumulator(captureContent),
  usage: (raw) => usageFromAnthropic(raw),
};
