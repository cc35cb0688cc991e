// Gemini generateContent / streamGenerateContent (`…/models/<model>:generateContent`, also Vertex AI).
// Every streamed object is a whole response; usageMetadata is cumulative.
import { usageFromGemini } from "../../llm/usage-adapters.js";
import type { LlmApiAdapter, PathMatch } from "../wire/api-adapter.js";
import { errorOf, isObject, otherPart, str, textPart, withFinishReason, type Message, type Part, type RequestContent } from "../wire/content.js";
import { parseJsonObject } from "../wire/json.js";
import type { Accumulator, ResponseSummary } from "../wire/summary.js";

const METHODS = [":generateContent", ":streamGenerateContent"] as const;

function matchPath(path: string): PathMatch | undefined {
  const colon = path.lastIndexOf(":");
  if (colon === -1) return undefined;
  const method = path.slice(colon + 1);
  if (method !== "generateContent" && method !== "streamGenerateContent") return undefined;
  const match: PathMatch = { pathStream: method === "streamGenerateContent" };
  const modelSegment = path.slice(path.lastIndexOf("/", colon) + 1, colon);
  if (modelSegment !== "") match.pathModel = decodeURIComponent(modelSegment);
  return match;
}

function parts(value: unknown): Part[] {
  if (!Array.isArray(value)) return [];
  return value.map((part): Part => {
    if (!isObject(part)) return otherPart(part);
    if (typeof part.text === "string") return part.thought === true ? { type: "reasoning", content: part.text } : textPart(part.text);
    if (isObject(part.functionCall)) {
      return { type: "tool_call", id: part.functionCall.id, name: part.functionCall.name, arguments: part.functionCall.args };
    }
    if (isObject(part.functionResponse)) {
      return { type: "tool_call_response", id: part.functionResponse.id ?? part.functionResponse.name, response: part.functionResponse.response };
    }
    return { type: Object.keys(part)[0] ?? "unknown" };
  });
}

class GeminiAccumulator implements Accumulator {
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
      const error = payload.error;
      Object.assign(summary, errorOf(error, ["status"], String(error.code ?? "error")));
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
      if (this.#content && isObject(candidate.content) && Array.isArray(candidate.content.parts)) this.#gather(acc.parts, candidate.content.parts);
    }
  }

  #gather(into: Part[], from: unknown[]): void {
    for (const part of from) {
      if (!isObject(part)) continue;
      const last = into.at(-1);
      if (typeof part.text === "string") {
        const type = part.thought === true ? "reasoning" : "text";
        if (last?.type === type) last.content = String(last.content) + part.text;
        else into.push({ type, content: part.text });
      } else if (isObject(part.functionCall)) {
        into.push({ type: "tool_call", id: part.functionCall.id, name: part.functionCall.name, arguments: part.functionCall.args });
      }
    }
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    const entries = [...this.#candidates.entries()].sort((a, b) => a[0] - b[0]);
    const reasons = entries.map(([, c]) => c.finish).filter((r): r is string => r !== undefined);
    if (reasons.length > 0) summary.finishReasons = reasons;
    if (this.#content) summary.outputMessages = entries.map(([, c]): Message => withFinishReason({ role: "assistant", parts: c.parts }, c.finish));
    return summary;
  }
}

export const gemini: LlmApiAdapter = {
  api: "gemini",
  operation: "generate_content",
  defaultProvider: "gcp.gemini",
  pathTails: [],
  pathTailSuffixes: METHODS,
  matchPath,
  bodyMatches: (body) => Array.isArray(body.contents),
  // Gemini streams by path (streamGenerateContent), never by a body field.
  requestStreams: () => false,
  requestContent: (body) => {
    const contents = Array.isArray(body.contents) ? body.contents : [];
    const content: RequestContent = {
      input: contents.filter(isObject).map((c) => ({ role: c.role === "model" ? "assistant" : String(c.role ?? "user"), parts: parts(c.parts) })),
    };
    const system = body.systemInstruction ?? body.system_instruction;
    if (isObject(system)) content.system = parts(system.parts);
    return content;
  },
  // streamGenerateContent without alt=sse answers with a JSON array of the streamed objects.
  summarizeJson: (body, captureContent) => {
    const accumulator = new GeminiAccumulator(captureContent);
    for (const item of Array.isArray(body) ? body : [body]) accumulator.object(item);
    return accumulator.finish();
  },
  streamAccumulator: (captureContent) => new GeminiAccumulator(captureContent),
  usage: usageFromGemini,
};
