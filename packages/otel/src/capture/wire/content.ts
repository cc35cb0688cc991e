// Message content in the GenAI conventions' JSON form (gen_ai.input.messages, gen_ai.output.messages,
// gen_ai.system_instructions): the part shapes and helpers the API adapters (apis/) share.
// Only used when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.
import type { JsonObject } from "./json.js";

export interface Part {
  type: string;
  [key: string]: unknown;
}
export interface Message {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

export interface RequestContent {
  input: Message[];
  system?: Part[];
}

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
/** A non-empty string field; "" is as good as absent (Azure's first stream chunk has `model: ""`, `id: ""`). */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
export const textPart = (content: unknown): Part => ({ type: "text", content });

export function parseArguments(args: unknown): unknown {
  if (typeof args !== "string") return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/** A part we do not map keeps its type so the reader sees that something was there. */
export function otherPart(part: unknown): Part {
  return { type: isObject(part) && typeof part.type === "string" ? part.type : "unknown" };
}

/** OpenAI content: a string, or text / input_text / output_text parts (Chat and Responses). */
export function openAIParts(content: unknown): Part[] {
  if (typeof content === "string") return [textPart(content)];
  if (!Array.isArray(content)) return [];
  return content.map((part) => {
    if (isObject(part) && (part.type === "text" || part.type === "input_text" || part.type === "output_text")) {
      return textPart(part.text);
    }
    return otherPart(part);
  });
}

/** One assistant message per finish-reason-bearing choice. */
export function withFinishReason(message: Message, reason: string | undefined): Message {
  if (reason !== undefined) message.finish_reason = reason;
  return message;
}

/** error.type from the first of `keys` the provider's error object has, and its message. */
export function errorOf(error: JsonObject, keys: readonly string[], fallback: string): ProviderError {
  let type: string | undefined;
  for (const key of keys) if ((type = str(error[key])) !== undefined) break;
  const result: ProviderError = { errorType: type ?? fallback };
  const code = typeof error.code === "number" ? String(error.code) : str(error.code);
  if (code !== undefined && code !== result.errorType) result.errorCode = code;
  // The broad class beside the code that won (OpenAI's `type` beside its `code`), for the status message.
  const kind = str(error.type);
  if (kind !== undefined && kind !== result.errorType) result.errorKind = kind;
  const message = str(error.message);
  if (message !== undefined) result.errorMessage = message;
  return result;
}

/** A provider's error: its type (error.type), its code when it has another, and its message. */
export interface ProviderError {
  errorType: string;
  errorCode?: string;
  /** The provider's broad error class when error.type is its specific code (OpenAI's `type`). */
  errorKind?: string;
  errorMessage?: string;
}
