// OpenAI Responses (`…/responses`): the terminal response.completed / incomplete / failed event
// (or the JSON body) has it all.
import { usageFromOpenAIResponses } from "../../llm/usage-adapters.js";
import { streamFlag, type LlmApiAdapter } from "../wire/api-adapter.js";
import {
  errorOf,
  isObject,
  openAIParts,
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
import { hasOpenAIModel, matchOpenAIPath, openAIJsonBasics } from "./openai-shared.js";

const RESPONSES_BLOCK = /response\.(?:created|completed|incomplete|failed)|error/;
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** The Responses API has no finish_reason: its status (or why it is incomplete) plays that role. */
function finishReason(response: JsonObject): string | undefined {
  if (isObject(response.incomplete_details) && typeof response.incomplete_details.reason === "string") {
    return response.incomplete_details.reason;
  }
  return str(response.status);
}

function input(value: unknown): Message[] {
  if (typeof value === "string") return [{ role: "user", parts: [textPart(value)] }];
  if (!Array.isArray(value)) return [];
  return value.map((item): Message => {
    if (!isObject(item)) return { role: "user", parts: [otherPart(item)] };
    if (item.type === "function_call") {
      return { role: "assistant", parts: [{ type: "tool_call", id: item.call_id, name: item.name, arguments: parseArguments(item.arguments) }] };
    }
    if (item.type === "function_call_output") {
      return { role: "tool", parts: [{ type: "tool_call_response", id: item.call_id, response: item.output }] };
    }
    if (typeof item.role === "string") return { role: item.role, parts: openAIParts(item.content) };
    return { role: "user", parts: [otherPart(item)] };
  });
}

function output(items: unknown, reason: string | undefined): Message[] {
  if (!Array.isArray(items)) return [];
  const parts: Part[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    if (item.type === "message") parts.push(...openAIParts(item.content));
    else if (item.type === "function_call") {
      parts.push({ type: "tool_call", id: item.call_id, name: item.name, arguments: parseArguments(item.arguments) });
    } else if (item.type === "reasoning" && Array.isArray(item.summary)) {
      const summary = item.summary.map((s) => (isObject(s) ? s.text : "")).join("");
      if (summary !== "") parts.push({ type: "reasoning", content: summary });
    } else parts.push(otherPart(item));
  }
  return [withFinishReason({ role: "assistant", parts }, reason)];
}

function summarizeJson(body: unknown, captureContent: boolean): ResponseSummary {
  if (!isObject(body)) return {};
  const summary = openAIJsonBasics(body);
  const reason = finishReason(body);
  if (reason !== undefined) summary.finishReasons = [reason];
  if (isObject(body.error)) summary.errorType = str(body.error.code) ?? "response_failed";
  const toolCalls: ToolCallPrint[] = [];
  blockToolCalls(body.output, toolCalls);
  if (toolCalls.length > 0) summary.toolCalls = toolCalls;
  if (captureContent) summary.outputMessages = output(body.output, reason);
  return summary;
}

class ResponsesAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  complete = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(block: string): boolean {
    return this.#content || RESPONSES_BLOCK.test(block);
  }

  wantsLargeEvent(head: string): boolean {
    return this.#content || RESPONSES_BLOCK.test(head);
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
      Object.assign(summary, errorOf(payload, ["code", "type"], "error"));
      return;
    }
    const response = isObject(payload.response) ? payload.response : {};
    summary.id = str(response.id) ?? summary.id;
    summary.model = str(response.model) ?? summary.model;
    if (type === "response.created") return;
    this.complete = true;
    if (isObject(response.usage)) summary.rawUsage = response.usage;
    const reason = finishReason(response);
    if (reason !== undefined) summary.finishReasons = [reason];
    if (type === "response.failed") {
      Object.assign(summary, errorOf(isObject(response.error) ? response.error : {}, ["code"], "response_failed"));
    }
    if (this.#content) summary.outputMessages = output(response.output, reason);
  }

  finish(): ResponseSummary {
    return this.#summary;
  }
}

export const openAIResponses: LlmApiAdapter = {
  api: "openai.responses",
  operation: "chat",
  defaultProvider: "openai",
  pathTails: ["responses"],
  matchPath: (path) => matchOpenAIPath(path, "/responses"),
  bodyMatches: (body, pathModel) => hasOpenAIModel(body, pathModel) && "input" in body,
  requestStreams: streamFlag,
  requestContent: (body) => {
    const content: RequestContent = { input: input(body.input) };
    if (typeof body.instructions === "string") content.system = [textPart(body.instructions)];
    return content;
  },
  summarizeJson,
  streamAccumulator: (captureContent) => new ResponsesAccumulator(captureContent),
  usage: usageFromOpenAIResponses,
};
