// The one interface a supported LLM API implements: how its requests are recognised and read,
// and how its responses (whole JSON, or a stream of events) are summarised. Transports (fetch,
// node:http) and the per-request capture only talk to this; adding an API is one file in apis/.
import type { LlmOperation, LlmUsage } from "../../llm/types.js";
import type { RequestContent } from "./content.js";
import type { JsonObject } from "./json.js";
import type { Accumulator, ResponseSummary } from "./summary.js";

export interface PathMatch {
  /** Gemini names the model in the path; Azure OpenAI names the deployment there. */
  pathModel?: string;
  /** Gemini's streamGenerateContent streams whatever the body says. */
  pathStream?: boolean;
}

export interface LlmApiAdapter {
  /** Stable name, e.g. "openai.chat". */
  readonly api: string;
  readonly operation: LlmOperation;
  /** gen_ai.provider.name when the host is not a known one. */
  readonly defaultProvider: string;
  /** Last path segments this API ends with (the cheap test every request pays). */
  readonly pathTails: readonly string[];
  /** Or endings of the last path segment (Gemini's `model:generateContent`). */
  readonly pathTailSuffixes?: readonly string[];
  /** The full test on a path without its trailing slash; undefined when it is not this API. */
  matchPath(path: string): PathMatch | undefined;
  /** Does the body have the shape of a request to this API? Keeps e.g. chat-app `/messages` posts out. */
  bodyMatches(body: JsonObject, pathModel: string | undefined): boolean;
  /** Whether the request asks for a stream (besides pathStream). */
  requestStreams(body: JsonObject): boolean;
  /** Request content in the GenAI conventions' message form (content capture only). */
  requestContent(body: JsonObject): RequestContent | undefined;
  /** A complete JSON response. */
  summarizeJson(body: unknown, captureContent: boolean): ResponseSummary;
  /** A streamed response, fed event by event (SSE events, or NDJSON lines with event ""). */
  streamAccumulator(captureContent: boolean): Accumulator;
  /** The provider's raw usage object in GenAI convention form. */
  usage(raw: unknown): LlmUsage | undefined;
  /** Raw usage from the response headers, for a whole-JSON body that has none (Bedrock InvokeModel's token counts). */
  usageFromHeaders?(header: (name: string) => string | undefined): unknown;
  /** Attributes of the provider's own that the summary carried (Ollama's server durations). */
  extraAttributes?(summary: ResponseSummary): Record<string, number> | undefined;
}

/** The common `"stream": true` request field. */
export const streamFlag = (body: JsonObject): boolean => body.stream === true;
