// OpenAI Chat Completions (`…/chat/completions`), and every OpenAI-compatible server.
import { usageFromOpenAIChat } from "../../llm/usage-adapters.js";
import { streamFlag, type LlmApiAdapter } from "../wire/api-adapter.js";
import { isObject, openAIParts, parseArguments, type Message, type Part } from "../wire/content.js";
import type { JsonObject } from "../wire/json.js";
import { OpenAIChatAccumulator } from "./openai-chat-stream.js";
import { hasOpenAIModel, matchOpenAIPath, summarizeChoices } from "./openai-shared.js";

function toolCalls(calls: unknown): Part[] {
  if (!Array.isArray(calls)) return [];
  return calls.map((call) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : {};
    return { type: "tool_call", id: isObject(call) ? call.id : undefined, name: fn.name, arguments: parseArguments(fn.arguments) };
  });
}

function chatMessage(message: JsonObject): Message {
  const role = typeof message.role === "string" ? message.role : "user";
  if (role === "tool") {
    return { role, parts: [{ type: "tool_call_response", id: message.tool_call_id, response: message.content }] };
  }
  return { role, parts: [...openAIParts(message.content), ...toolCalls(message.tool_calls)] };
}

function outputMessage(choice: JsonObject): Message {
  return isObject(choice.message)
    ? { ...chatMessage(choice.message), role: "assistant" }
    : { role: "assistant", parts: [{ type: "text", content: choice.text }] };
}

export const openAIChat: LlmApiAdapter = {
  api: "openai.chat",
  operation: "chat",
  defaultProvider: "openai",
  pathTails: ["completions"],
  matchPath: (path) => matchOpenAIPath(path, "/chat/completions"),
  bodyMatches: (body, pathModel) => hasOpenAIModel(body, pathModel) && Array.isArray(body.messages),
  requestStreams: streamFlag,
  requestContent: (body) => ({ input: (Array.isArray(body.messages) ? body.messages : []).filter(isObject).map(chatMessage) }),
  summarizeJson: (body, captureContent) => summarizeChoices(body, captureContent, outputMessage),
  streamAccumulator: (captureContent) => new OpenAIChatAccumulator(captureContent, false),
  usage: usageFromOpenAIChat,
};
