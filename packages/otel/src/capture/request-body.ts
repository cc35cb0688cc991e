// Reads the JSON request body the app is sending, without consuming it.
// The openai and anthropic SDKs and the Vercel AI SDK pass a string body; other forms are
// read when that is possible without touching the app's copy.
import type { LlmApi } from "./endpoints.js";

export type JsonObject = Record<string, unknown>;

const decoder = new TextDecoder();

/** The body as text when it is at hand without consuming the app's copy (string, bytes); else undefined. */
export function bodyText(body: RequestInit["body"]): string | undefined {
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return decoder.decode(body);
  if (ArrayBuffer.isView(body)) return decoder.decode(body as Uint8Array);
  return undefined;
}

/** The body of a Request object, read from a clone so the app's Request stays unread. */
export async function requestBodyText(request: Request): Promise<string | undefined> {
  if (request.body === null || request.bodyUsed) return undefined;
  return request.clone().text();
}

export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Does the body have the shape of a request to this API? Keeps e.g. chat-app `/messages` posts out. */
export function bodyMatchesApi(api: LlmApi, body: JsonObject, pathModel: string | undefined): boolean {
  // Azure OpenAI names the deployment in the path instead of the body.
  const hasModel = typeof body.model === "string" || pathModel !== undefined;
  switch (api) {
    case "openai.chat":
      return hasModel && Array.isArray(body.messages);
    case "anthropic.messages":
      return typeof body.model === "string" && Array.isArray(body.messages);
    case "openai.responses":
      return hasModel && "input" in body;
    case "openai.completions":
      return hasModel && "prompt" in body;
    case "openai.embeddings":
      return hasModel && "input" in body;
    case "gemini":
      return Array.isArray(body.contents);
  }
}
