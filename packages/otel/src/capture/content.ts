// Message content in the GenAI conventions' JSON form (gen_ai.input.messages, gen_ai.output.messages,
// gen_ai.system_instructions), built from each API's own request and response shapes.
// Only used when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.
import type { LlmApi } from "./endpoints.js";
import type { JsonObject } from "./request-body.js";

export interface Part {
  type: string;
  [key: string]: unknown;
}
export interface Message {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (content: unknown): Part => ({ type: "text", content });

function parseArguments(args: unknown): unknown {
  if (typeof args !== "string") return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/** A part we do not map keeps its type so the reader sees that something was there. */
function otherPart(part: unknown): Part {
  return { type: isObject(part) && typeof part.type === "string" ? part.type : "unknown" };
}

function openAIParts(content: unknown): Part[] {
  if (typeof content === "string") return [text(content)];
  if (!Array.isArray(content)) return [];
  return content.map((part) => {
    if (isObject(part) && (part.type === "text" || part.type === "input_text" || part.type === "output_text")) {
      return text(part.text);
    }
    return otherPart(part);
  });
}

function openAIToolCalls(toolCalls: unknown): Part[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.map((call) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : {};
    return { type: "tool_call", id: isObject(call) ? call.id : undefined, name: fn.name, arguments: parseArguments(fn.arguments) };
  });
}

export function openAIChatMessage(message: JsonObject): Message {
  const role = typeof message.role === "string" ? message.role : "user";
  if (role === "tool") {
    return { role, parts: [{ type: "tool_call_response", id: message.tool_call_id, response: message.content }] };
  }
  return { role, parts: [...openAIParts(message.content), ...openAIToolCalls(message.tool_calls)] };
}

function anthropicParts(content: unknown): Part[] {
  if (typeof content === "string") return [text(content)];
  if (!Array.isArray(content)) return [];
  return content.map((block): Part => {
    if (!isObject(block)) return otherPart(block);
    switch (block.type) {
      case "text":
        return text(block.text);
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

export function geminiParts(parts: unknown): Part[] {
  if (!Array.isArray(parts)) return [];
  return parts.map((part): Part => {
    if (!isObject(part)) return otherPart(part);
    if (typeof part.text === "string") return part.thought === true ? { type: "reasoning", content: part.text } : text(part.text);
    if (isObject(part.functionCall)) {
      return { type: "tool_call", id: part.functionCall.id, name: part.functionCall.name, arguments: part.functionCall.args };
    }
    if (isObject(part.functionResponse)) {
      return { type: "tool_call_response", id: part.functionResponse.id ?? part.functionResponse.name, response: part.functionResponse.response };
    }
    return { type: Object.keys(part)[0] ?? "unknown" };
  });
}

function responsesInput(input: unknown): Message[] {
  if (typeof input === "string") return [{ role: "user", parts: [text(input)] }];
  if (!Array.isArray(input)) return [];
  return input.map((item): Message => {
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

export function responsesOutput(output: unknown, finishReason: string | undefined): Message[] {
  if (!Array.isArray(output)) return [];
  const parts: Part[] = [];
  for (const item of output) {
    if (!isObject(item)) continue;
    if (item.type === "message") parts.push(...openAIParts(item.content));
    else if (item.type === "function_call") {
      parts.push({ type: "tool_call", id: item.call_id, name: item.name, arguments: parseArguments(item.arguments) });
    } else if (item.type === "reasoning" && Array.isArray(item.summary)) {
      const summary = item.summary.map((s) => (isObject(s) ? s.text : "")).join("");
      if (summary !== "") parts.push({ type: "reasoning", content: summary });
    } else parts.push(otherPart(item));
  }
  const message: Message = { role: "assistant", parts };
  if (finishReason !== undefined) message.finish_reason = finishReason;
  return [message];
}

export interface RequestContent {
  input: Message[];
  system?: Part[];
}

export function requestContent(api: LlmApi, body: JsonObject): RequestContent | undefined {
  switch (api) {
    case "openai.chat":
      return { input: (Array.isArray(body.messages) ? body.messages : []).filter(isObject).map(openAIChatMessage) };
    case "openai.completions": {
      const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
      return { input: prompts.map((p) => ({ role: "user", parts: [text(p)] })) };
    }
    case "openai.responses": {
      const content: RequestContent = { input: responsesInput(body.input) };
      if (typeof body.instructions === "string") content.system = [text(body.instructions)];
      return content;
    }
    case "anthropic.messages": {
      const messages = Array.isArray(body.messages) ? body.messages : [];
      const content: RequestContent = {
        input: messages.filter(isObject).map((m) => ({ role: String(m.role), parts: anthropicParts(m.content) })),
      };
      if (body.system !== undefined) content.system = anthropicParts(body.system);
      return content;
    }
    case "gemini": {
      const contents = Array.isArray(body.contents) ? body.contents : [];
      const content: RequestContent = {
        input: contents.filter(isObject).map((c) => ({ role: c.role === "model" ? "assistant" : String(c.role ?? "user"), parts: geminiParts(c.parts) })),
      };
      const system = body.systemInstruction ?? body.system_instruction;
      if (isObject(system)) content.system = geminiParts(system.parts);
      return content;
    }
    case "openai.embeddings":
      return undefined;
  }
}

export { anthropicParts, openAIParts, isObject, parseArguments };
