// Which LLM API a request URL addresses. Recognition is by path only (method and body are
// checked by the caller), so any OpenAI-compatible server at the standard paths is captured.
import type { LlmOperation } from "../llm/types.js";
import type { LlmApiAdapter } from "./wire/api-adapter.js";
import { LLM_APIS } from "./apis/registry.js";
import { providerFromHost } from "./providers.js";

export interface LlmEndpoint {
  adapter: LlmApiAdapter;
  api: string;
  operation: LlmOperation;
  provider: string;
  serverAddress: string;
  serverPort: number;
  /** Gemini names the model in the path; Azure OpenAI names the deployment there. */
  pathModel?: string;
  /** Gemini's streamGenerateContent streams whatever the body says. */
  pathStream?: boolean;
}

const TAILS: ReadonlySet<string> = new Set(LLM_APIS.flatMap((a) => a.pathTails));
const TAIL_SUFFIXES: readonly string[] = LLM_APIS.flatMap((a) => a.pathTailSuffixes ?? []);

/**
 * Cheap test used on every request: does the URL's path end like an LLM endpoint?
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
  if (TAILS.has(tail)) return true;
  for (const suffix of TAIL_SUFFIXES) if (tail.endsWith(suffix)) return true;
  return false;
}

export function classifyEndpoint(url: URL): LlmEndpoint | undefined {
  let path = url.pathname;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  for (const adapter of LLM_APIS) {
    const match = adapter.matchPath(path);
    if (match === undefined) continue;
    const scheme = url.protocol === "https:" ? 443 : 80;
    return {
      adapter,
      api: adapter.api,
      operation: adapter.operation,
      provider: providerFromHost(url.hostname, adapter.defaultProvider),
      serverAddress: url.hostname,
      serverPort: url.port === "" ? scheme : Number(url.port),
      ...match,
    };
  }
  return undefined;
}

// An app calls the same few LLM URLs over and over: their endpoints are kept, bounded should URLs
// vary without end (a query string per request). Endpoints are shared: read them, never change them.
const MAX_CACHED_URLS = 256;
const endpoints = new Map<string, LlmEndpoint | null>();

/** classifyEndpoint() for a URL string (undefined when it is not a URL or not an LLM API). */
export function endpointOf(url: string): LlmEndpoint | undefined {
  let endpoint = endpoints.get(url);
  if (endpoint === undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    endpoint = classifyEndpoint(parsed) ?? null;
    if (endpoints.size >= MAX_CACHED_URLS) endpoints.clear();
    endpoints.set(url, endpoint);
  }
  return endpoint ?? undefined;
}
