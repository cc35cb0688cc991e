// Streaming (SSE) accumulators, one per API. Each sees every event but parses JSON only for the
// events that carry what the span needs (ids, finish reasons, usage, errors), unless content
// capture asks for the text too: most chunks are skipped with a cheap string test.
import { isObject, parseArguments, responsesOutput, type Message, type Part } from "./content.js";
import type { LlmApi } from "./endpoints.js";
import { parseJsonObject, type JsonObject } from "./request-body.js";
import { responsesFinishReason, type Accumulator, type ResponseSummary } from "./summary.js";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The event type: the SSE `event:` name, else the payload's leading "type" field. */
const TYPE_PEEK = /^\{\s*"type"\s*:\s*"([^"]+)"/;
function eventType(event: string, data: string): string | undefined {
  if (event !== "") return event;
  return TYPE_PEEK.exec(data.slice(0, 64))?.[1];
}

/** A chunk worth parsing: a finish reason, a usage object or an error (one regex pass, far cheaper than JSON.parse). */
const NEEDED = /"(?:finish_reason|usage|error)"\s*:\s*[{"]/;
const CHAT_BLOCK = /"(?:finish_reason|usage|error)"\s*:\s*[{"]|\[DONE\]/;
const ANTHROPIC_BLOCK = /message_|error/;
const RESPONSES_BLOCK = /response\.(?:created|completed|incomplete|failed)|error/;

interface ChoiceText {
  text: string;
  reasoning: string;
  tools: Map<number, { id?: string; name?: string; args: string }>;
  finish?: string;
}

/** OpenAI Chat Completions and legacy Completions, and every OpenAI-compatible server. */
export class OpenAIChatAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  readonly #legacy: boolean;
  readonly #choices = new Map<number, ChoiceText>();
  readonly #finish = new Map<number, string>();
  #first = true;
  complete = false;

  constructor(captureContent: boolean, legacyCompletions: boolean) {
    this.#content = captureContent;
    this.#legacy = legacyCompletions;
  }

  wants(block: string): boolean {
    return this.#first || this.#content || CHAT_BLOCK.test(block);
  }

  get onlyTailNeeded(): boolean {
    return !this.#first && !this.#content;
  }

  event(_event: string, data: string): void {
    if (data === "[DONE]") {
      this.complete = true;
      return;
    }
    if (!(this.#first || this.#content || NEEDED.test(data))) return;
    const chunk = parseJsonObject(data);
    if (chunk === undefined) return;
    this.#first = false;
    const summary = this.#summary;
    if (isObject(chunk.error)) {
      summary.errorType = str(chunk.error.type) ?? str(chunk.error.code) ?? "error";
      const message = str(chunk.error.message);
      if (message !== undefined) summary.errorMessage = message;
    }
    summary.id ??= str(chunk.id);
    summary.model ??= str(chunk.model);
    if (isObject(chunk.usage)) summary.rawUsage = chunk.usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices) {
      if (!isObject(choice)) continue;
      const index = typeof choice.index === "number" ? choice.index : 0;
      const reason = str(choice.finish_reason);
      if (reason !== undefined) this.#finish.set(index, reason);
      if (this.#content) this.#gather(index, choice);
    }
  }

  #gather(index: number, choice: JsonObject): void {
    let acc = this.#choices.get(index);
    if (acc === undefined) {
      acc = { text: "", reasoning: "", tools: new Map() };
      this.#choices.set(index, acc);
    }
    if (this.#legacy) {
      acc.text += str(choice.text) ?? "";
      return;
    }
    const delta = isObject(choice.delta) ? choice.delta : {};
    acc.text += str(delta.content) ?? "";
    acc.reasoning += str(delta.reasoning_content) ?? str(delta.reasoning) ?? "";
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) {
        if (!isObject(call)) continue;
        const i = typeof call.index === "number" ? call.index : 0;
        const tool = acc.tools.get(i) ?? { args: "" };
        tool.id ??= str(call.id);
        const fn = isObject(call.function) ? call.function : {};
        tool.name ??= str(fn.name);
        tool.args += str(fn.arguments) ?? "";
        acc.tools.set(i, tool);
      }
    }
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    if (this.#finish.size > 0) {
      summary.finishReasons = [...this.#finish.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    }
    if (this.#content) {
      summary.outputMessages = [...this.#choices.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([index, acc]): Message => {
          const parts: Part[] = [];
          if (acc.reasoning !== "") parts.push({ type: "reasoning", content: acc.reasoning });
          if (acc.text !== "" || acc.tools.size === 0) parts.push({ type: "text", content: acc.text });
          for (const tool of acc.tools.values()) {
            parts.push({ type: "tool_call", id: tool.id, name: tool.name, arguments: parseArguments(tool.args) });
          }
          const message: Message = { role: "assistant", parts };
          const reason = this.#finish.get(index);
          if (reason !== undefined) message.finish_reason = reason;
          return message;
        });
    }
    return summary;
  }
}

/** Anthropic Messages: message_start carries id, model and input usage; message_delta the rest. */
export class AnthropicAccumulator implements Accumulator {
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
      case "error": {
        const error = isObject(payload.error) ? payload.error : {};
        summary.errorType = str(error.type) ?? "error";
        const message = str(error.message);
        if (message !== undefined) summary.errorMessage = message;
        break;
      }
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
      const parts = [...this.#blocks.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, block]): Part => {
          if (block.type === "text") return { type: "text", content: block.text };
          if (block.type === "tool_use") return { type: "tool_call", id: block.id, name: block.name, arguments: parseArguments(block.text) };
          if (block.type === "thinking") return { type: "reasoning", content: block.text };
          return { type: block.type };
        });
      const message: Message = { role: "assistant", parts };
      const reason = summary.finishReasons?.[0];
      if (reason !== undefined) message.finish_reason = reason;
      summary.outputMessages = [message];
    }
    return summary;
  }
}

/** Gemini generateContent: every streamed object is a response; usageMetadata is cumulative. */
export class GeminiAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  readonly #candidates = new Map<number, { parts: Part[]; finish?: string }>();
  /** Gemini has no end event: the last streamed object carries the finish reason. */
  complete = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(): boolean {
    return true;
  }

  readonly onlyTailNeeded = false;

  event(_event: string, data: string): void {
    const payload = parseJsonObject(data);
    if (payload !== undefined) this.object(payload);
  }

  object(payload: unknown): void {
    if (!isObject(payload)) return;
    const summary = this.#summary;
    if (isObject(payload.error)) {
      summary.errorType = str(payload.error.status) ?? String(payload.error.code ?? "error");
      const message = str(payload.error.message);
      if (message !== undefined) summary.errorMessage = message;
    }
    summary.id ??= str(payload.responseId);
    summary.model ??= str(payload.modelVersion);
    if (isObject(payload.usageMetadata)) summary.rawUsage = payload.usageMetadata;
    if (!Array.isArray(payload.candidates)) return;
    for (const candidate of payload.candidates) {
      if (!isObject(candidate)) continue;
      const index = typeof candidate.index === "number" ? candidate.index : 0;
      let acc = this.#candidates.get(index);
      if (acc === undefined) {
        acc = { parts: [] };
        this.#candidates.set(index, acc);
      }
      const reason = str(candidate.finishReason);
      if (reason !== undefined) {
        acc.finish = reason;
        this.complete = true;
      }
      if (this.#content && isObject(candidate.content) && Array.isArray(candidate.content.parts)) {
        for (const part of candidate.content.parts) {
          if (!isObject(part)) continue;
          const last = acc.parts.at(-1);
          const thought = part.thought === true;
          if (typeof part.text === "string") {
            const type = thought ? "reasoning" : "text";
            if (last?.type === type) last.content = String(last.content) + part.text;
            else acc.parts.push({ type, content: part.text });
          } else if (isObject(part.functionCall)) {
            acc.parts.push({ type: "tool_call", id: part.functionCall.id, name: part.functionCall.name, arguments: part.functionCall.args });
          }
        }
      }
    }
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    const entries = [...this.#candidates.entries()].sort((a, b) => a[0] - b[0]);
    const reasons = entries.map(([, c]) => c.finish).filter((r): r is string => r !== undefined);
    if (reasons.length > 0) summary.finishReasons = reasons;
    if (this.#content) {
      summary.outputMessages = entries.map(([, c]): Message => {
        const message: Message = { role: "assistant", parts: c.parts };
        if (c.finish !== undefined) message.finish_reason = c.finish;
        return message;
      });
    }
    return summary;
  }
}

/** OpenAI Responses: the terminal response.completed / incomplete / failed event has it all. */
export class ResponsesAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  complete = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(block: string): boolean {
    return this.#content || RESPONSES_BLOCK.test(block);
  }

  /** response.completed repeats the whole output and can be larger than any tail window. */
  readonly onlyTailNeeded = false;

  event(event: string, data: string): void {
    const type = eventType(event, data);
    if (type === undefined || !(type === "error" || type === "response.created" || TERMINAL.has(type))) return;
    const payload = parseJsonObject(data);
    if (payload === undefined) return;
    const summary = this.#summary;
    if (type === "error") {
      summary.errorType = str(payload.code) ?? str(payload.type) ?? "error";
      const message = str(payload.message);
      if (message !== undefined) summary.errorMessage = message;
      return;
    }
    const response = isObject(payload.response) ? payload.response : {};
    summary.id = str(response.id) ?? summary.id;
    summary.model = str(response.model) ?? summary.model;
    if (type === "response.created") return;
    this.complete = true;
    if (isObject(response.usage)) summary.rawUsage = response.usage;
    const reason = responsesFinishReason(response);
    if (reason !== undefined) summary.finishReasons = [reason];
    if (type === "response.failed") {
      const error = isObject(response.error) ? response.error : {};
      summary.errorType = str(error.code) ?? "response_failed";
      const message = str(error.message);
      if (message !== undefined) summary.errorMessage = message;
    }
    if (this.#content) summary.outputMessages = responsesOutput(response.output, reason);
  }

  finish(): ResponseSummary {
    return this.#summary;
  }
}

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

export function streamAccumulator(api: LlmApi, captureContent: boolean): Accumulator {
  switch (api) {
    case "openai.chat":
    case "openai.embeddings":
      return new OpenAIChatAccumulator(captureContent, false);
    case "openai.completions":
      return new OpenAIChatAccumulator(captureContent, true);
    case "anthropic.messages":
      return new AnthropicAccumulator(captureContent);
    case "gemini":
      return new GeminiAccumulator(captureContent);
    case "openai.responses":
      return new ResponsesAccumulator(captureContent);
  }
}
