// Which LLM API a request URL addresses. Recognition is by path only (method and body are
// checked by the caller), so any OpenAI-compatible server at the standard paths is captured.
import type { LlmOperation } from "../llm/types.js";
import { providerFromHost } from "./providers.js";

export type LlmApi =
  | "openai.chat"
  | "openai.responses"
  | "openai.completions"
  | "openai.embeddings"
  | "anthropic.messages"
  | "gemini";

export interface LlmEndpoint {
  api: LlmApi;
  operation: LlmOperation;
  provider: string;
  serverAddress: string;
  serverPort: number;
  /** Gemini names the model in the path; Azure OpenAI names the deployment there. */
  pathModel?: string;
  /** Gemini's streamGenerateContent streams whatever the body says. */
  pathStream?: boolean;
}

/**
 * Cheap test used on every fetch: does the URL's path end like an LLM endpoint?
 * Works on the raw string so non-LLM requests never pay for URL parsing.
 */
export function looksLikeLlmPath(url: string): boolean {
  let end = url.indexOf("?");
  if (end === -1) end = url.indexOf("#");
  if (end === -1) end = url.length;
  // Tolerate one trailing slash.
  if (url.charCodeAt(end - 1) === 47 /* / */) end--;
  const last = url.lastIndexOf("/", end - 1);
  if (last === -1) return false;
  const tail = url.slice(last + 1, end);
  switch (tail) {
    case "completions":
    case "responses":
    case "embeddings":
    case "messages":
      return true;
    default:
      return tail.endsWith(":generateContent") || tail.endsWith(":streamGenerateContent");
  }
}

export function classifyEndpoint(url: URL): LlmEndpoint | undefined {
  let path = url.pathname;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  const scheme = url.protocol === "https:" ? 443 : 80;
  const base = {
    serverAddress: url.hostname,
    serverPort: url.port === "" ? scheme : Number(url.port),
  };
  const colon = path.lastIndexOf(":");
  if (colon !== -1) {
    const method = path.slice(colon + 1);
    if (method === "generateContent" || method === "streamGenerateContent") {
      const modelSegment = path.slice(path.lastIndexOf("/", colon) + 1, colon);
      const endpoint: LlmEndpoint = {
        ...base,
        api: "gemini",
        operation: "generate_content",
        provider: providerFromHost(url.hostname, "gcp.gemini"),
        pathStream: method === "streamGenerateContent",
      };
      if (modelSegment !== "") endpoint.pathModel = decodeURIComponent(modelSegment);
      return endpoint;
    }
  }
  const openai = (api: LlmApi, operation: LlmOperation): LlmEndpoint => {
    const endpoint: LlmEndpoint = { ...base, api, operation, provider: providerFromHost(url.hostname, "openai") };
    const deployment = /\/deployments\/([^/]+)\//.exec(path);
    if (deployment?.[1] !== undefined) endpoint.pathModel = decodeURIComponent(deployment[1]);
    return endpoint;
  };
  if (path.endsWith("/chat/completions")) return openai("openai.chat", "chat");
  if (path.endsWith("/completions")) return openai("openai.completions", "text_completion");
  if (path.endsWith("/responses")) return openai("openai.responses", "chat");
  if (path.endsWith("/embeddings")) return openai("openai.embeddings", "embeddings");
  if (path.endsWith("/messages")) {
    return { ...base, api: "anthropic.messages", operation: "chat", provider: providerFromHost(url.hostname, "anthropic") };
  }
  return undefined;
}
