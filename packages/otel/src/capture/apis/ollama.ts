// Ollama's native API: `/api/chat`, `/api/generate` (JSON, or NDJSON streams, which are the
// default) and `/api/embed`. The final object (`"done": true`) carries the token counts and
// Ollama's own server timings in nanoseconds (model load, prompt evaluation, generation, total),
// which split the server's time as no other provider does. Local: provider `ollama`, no cost.
import {
  ATTR_OLLAMA_EVAL_DURATION_NS,
  ATTR_OLLAMA_LOAD_DURATION_NS,
  ATTR_OLLAMA_PROMPT_EVAL_DURATION_NS,
  ATTR_OLLAMA_TOTAL_DURATION_NS,
} from "@jotty/engine/semconv";
import type { LlmOperation } from "../../llm/types.js";
import { usageFromOllama } from "../../llm/usage-adapters.js";
import type { LlmApiAdapter } from "../wire/api-adapter.js";
import { isObject, str, textPart, withFinishReason, type Message, type RequestContent } from "../wire/content.js";
import { parseJsonObject, type JsonObject } from "../wire/json.js";
import type { Accumulator, ResponseSummary } from "../wire/summary.js";

/** The lines that matter in a stream: the final one, or an error. */
const FINAL_OR_ERROR = /"done"\s*:\s*true|"error"/;

const DURATIONS: ReadonlyArray<readonly [string, string]> = [
  ["load_duration", ATTR_OLLAMA_LOAD_DURATION_NS],
  ["prompt_eval_duration", ATTR_OLLAMA_PROMPT_EVAL_DURATION_NS],
  ["eval_duration", ATTR_OLLAMA_EVAL_DURATION_NS],
  ["total_duration", ATTR_OLLAMA_TOTAL_DURATION_NS],
];

/** One accumulator for every Ollama endpoint: each line (or the JSON body) is a response object. */
class OllamaAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  #text = "";
  complete = false;
  readonly onlyTailNeeded = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(block: string): boolean {
    return this.#content || FINAL_OR_ERROR.test(block);
  }

  event(_event: string, data: string): void {
    if (!(this.#content || FINAL_OR_ERROR.test(data))) return;
    const payload = parseJsonObject(data);
    if (payload !== undefined) this.object(payload);
  }

  object(payload: JsonObject): void {
    const summary = this.#summary;
    const error = str(payload.error);
    if (error !== undefined) {
      summary.errorType = "error";
      summary.errorMessage = error;
      return;
    }
    if (this.#content) this.#text += str(isObject(payload.message) ? payload.message.content : payload.response) ?? "";
    if (payload.done === false) return;
    this.complete = payload.done === true;
    summary.model = str(payload.model) ?? summary.model;
    const reason = str(payload.done_reason);
    if (reason !== undefined) summary.finishReasons = [reason];
    summary.rawUsage = payload;
    const attributes: Record<string, number> = {};
    for (const [field, attribute] of DURATIONS) {
      if (typeof payload[field] === "number") attributes[attribute] = payload[field];
    }
    summary.attributes = attributes;
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    if (this.#content && this.#text !== "") {
      const message: Message = { role: "assistant", parts: [textPart(this.#text)] };
      summary.outputMessages = [withFinishReason(message, summary.finishReasons?.[0])];
    }
    return summary;
  }
}

function ollamaApi(
  tail: string,
  operation: LlmOperation,
  bodyMatches: (body: JsonObject) => boolean,
  requestContent: (body: JsonObject) => RequestContent | undefined,
  streams: boolean,
): LlmApiAdapter {
  const suffix = `/api/${tail}`;
  return {
    api: `ollama.${tail}`,
    operation,
    defaultProvider: "ollama",
    pathTails: [tail],
    matchPath: (path) => (path.endsWith(suffix) ? {} : undefined),
    bodyMatches: (body) => typeof body.model === "string" && bodyMatches(body),
    // Ollama streams unless the request says `"stream": false`.
    requestStreams: (body) => streams && body.stream !== false,
    requestContent,
    summarizeJson: (body, captureContent) => {
      const accumulator = new OllamaAccumulator(captureContent);
      if (isObject(body)) accumulator.object(body);
      return accumulator.finish();
    },
    streamAccumulator: (captureContent) => new OllamaAccumulator(captureContent),
    usage: usageFromOllama,
  };
}

const chatContent = (body: JsonObject): RequestContent => ({
  input: (Array.isArray(body.messages) ? body.messages : [])
    .filter(isObject)
    .map((m): Message => ({ role: str(m.role) ?? "user", parts: [textPart(m.content)] })),
});

const generateContent = (body: JsonObject): RequestContent => {
  const content: RequestContent = { input: [{ role: "user", parts: [textPart(body.prompt)] }] };
  if (typeof body.system === "string") content.system = [textPart(body.system)];
  return content;
};

export const ollamaChat = ollamaApi("chat", "chat", (body) => Array.isArray(body.messages), chatContent, true);
export const ollamaGenerate = ollamaApi("generate", "text_completion", (body) => typeof body.prompt === "string", generateContent, true);
export const ollamaEmbed = ollamaApi(
  "embed",
  "embeddings",
  (body) => "input" in body,
  () => undefined,
  false,
);
