// Cohere's v2 Chat API (`POST /v2/chat`, the cohere-ai client's chat and chatStream). The JSON
// body has `id`, `message`, `finish_reason` and `usage`; a stream is server-sent events whose
// message-start carries the id and message-end the finish reason and usage. The response names
// no model: it is the request's. Usage has two views: `tokens` (what the model read and wrote,
// with `cached_tokens` beside it) and `billed_units` (what Cohere charges, without its prompt
// template and cache): the span records the former, the cost is priced on the latter.
import type { LlmUsage } from "../../llm/types.js";
import { streamFlag, type LlmApiAdapter } from "../wire/api-adapter.js";
import { isObject, openAIParts, str, withFinishReason, type Message, type Part } from "../wire/content.js";
import { parseJsonObject, type JsonObject } from "../wire/json.js";
import { eventType, type Accumulator, type ResponseSummary } from "../wire/summary.js";

const count = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

export function usageFromCohere(raw: unknown): LlmUsage | undefined {
  if (!isObject(raw)) return undefined;
  const tokens = isObject(raw.tokens) ? raw.tokens : undefined;
  const billed = isObject(raw.billed_units) ? raw.billed_units : undefined;
  const input = count(tokens?.input_tokens) ?? count(billed?.input_tokens);
  const output = count(tokens?.output_tokens) ?? count(billed?.output_tokens);
  if (input === undefined || output === undefined) return undefined;
  const usage: LlmUsage = { inputTokens: input, outputTokens: output };
  const cached = count(raw.cached_tokens);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  const billedInput = count(billed?.input_tokens);
  const billedOutput = count(billed?.output_tokens);
  if (tokens !== undefined && billedInput !== undefined && billedOutput !== undefined) usage.billed = { inputTokens: billedInput, outputTokens: billedOutput };
  return usage;
}

function messageParts(message: JsonObject): Part[] {
  const parts = openAIParts(message.content);
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isObject(call)) continue;
      const fn = isObject(call.function) ? call.function : {};
      parts.push({ type: "tool_call", id: call.id, name: fn.name, arguments: fn.arguments });
    }
  }
  return parts;
}

function summarizeJson(body: unknown, captureContent: boolean): ResponseSummary {
  if (!isObject(body)) return {};
  const summary: ResponseSummary = {};
  const id = str(body.id);
  if (id !== undefined) summary.id = id;
  if (isObject(body.usage)) summary.rawUsage = body.usage;
  const reason = str(body.finish_reason);
  if (reason !== undefined) summary.finishReasons = [reason];
  if (captureContent && isObject(body.message)) summary.outputMessages = [withFinishReason({ role: "assistant", parts: messageParts(body.message) }, reason)];
  return summary;
}

const COHERE_BLOCK = /message-(?:start|end)/;

class CohereAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  #text = "";
  complete = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(block: string): boolean {
    return this.#content || COHERE_BLOCK.test(block);
  }

  wantsLargeEvent(head: string): boolean {
    return this.#content || COHERE_BLOCK.test(head);
  }

  get onlyTailNeeded(): boolean {
    return this.#summary.id !== undefined && !this.#content;
  }

  event(event: string, data: string): void {
    const type = eventType(event, data);
    if (!(type === "message-start" || type === "message-end" || (type === "content-delta" && this.#content))) return;
    const payload = parseJsonObject(data);
    if (payload === undefined) return;
    const delta = isObject(payload.delta) ? payload.delta : {};
    if (type === "message-start") {
      this.#summary.id ??= str(payload.id);
    } else if (type === "message-end") {
      this.complete = true;
      const reason = str(delta.finish_reason);
      if (reason !== undefined) this.#summary.finishReasons = [reason];
      if (isObject(delta.usage)) this.#summary.rawUsage = delta.usage;
    } else {
      const message = isObject(delta.message) ? delta.message : {};
      const content = isObject(message.content) ? message.content : {};
      this.#text += str(content.text) ?? "";
    }
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    if (this.#content)
      summary.outputMessages = [
        withFinishReason({ role: "assistant", parts: [{ type: "text", content: this.#text }] }, summary.finishReasons?.[0]),
      ] satisfies Message[];
    return summary;
  }
}

export const cohereChat: LlmApiAdapter = {
  api: "cohere.chat",
  operation: "chat",
  defaultProvider: "cohere",
  pathTails: ["chat"],
  matchPath: (path) => (path.endsWith("/v2/chat") ? {} : undefined),
  bodyMatches: (body) => typeof body.model === "string" && Array.isArray(body.messages),
  requestStreams: streamFlag,
  requestContent: (body) => ({
    input: (Array.isArray(body.messages) ? body.messages : []).filter(isObject).map((m): Message => ({ role: String(m.role), parts: openAIParts(m.content) })),
  }),
  summarizeJson,
  streamAccumulator: (captureContent) => new CohereAccumulator(captureContent),
  usage: usageFromCohere,
};
