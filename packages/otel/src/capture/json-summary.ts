// Summaries of complete (non-streaming) JSON responses, one per API.
import { anthropicParts, isObject, openAIChatMessage, responsesOutput, type Message } from "./content.js";
import type { LlmApi } from "./endpoints.js";
import { GeminiAccumulator } from "./stream-accumulators.js";
import { responsesFinishReason, type ResponseSummary } from "./summary.js";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function summarizeJson(api: LlmApi, body: unknown, captureContent: boolean): ResponseSummary {
  if (api === "gemini") {
    // streamGenerateContent without alt=sse answers with a JSON array of the streamed objects.
    const gemini = new GeminiAccumulator(captureContent);
    for (const item of Array.isArray(body) ? body : [body]) gemini.object(item);
    return gemini.finish();
  }
  if (!isObject(body)) return {};
  const summary: ResponseSummary = {};
  const model = str(body.model);
  if (model !== undefined) summary.model = model;
  const id = str(body.id);
  if (id !== undefined && api !== "openai.embeddings") summary.id = id;
  if (body.usage !== undefined && body.usage !== null) summary.rawUsage = body.usage;

  switch (api) {
    case "openai.chat":
    case "openai.completions": {
      const choices = Array.isArray(body.choices) ? body.choices.filter(isObject) : [];
      const reasons = choices.map((c) => str(c.finish_reason)).filter((r): r is string => r !== undefined);
      if (reasons.length > 0) summary.finishReasons = reasons;
      if (captureContent) {
        summary.outputMessages = choices.map((c): Message => {
          const message: Message =
            api === "openai.chat" && isObject(c.message)
              ? { ...openAIChatMessage(c.message), role: "assistant" }
              : { role: "assistant", parts: [{ type: "text", content: c.text }] };
          const reason = str(c.finish_reason);
          if (reason !== undefined) message.finish_reason = reason;
          return message;
        });
      }
      break;
    }
    case "openai.responses": {
      const reason = responsesFinishReason(body);
      if (reason !== undefined) summary.finishReasons = [reason];
      if (isObject(body.error)) summary.errorType = str(body.error.code) ?? "response_failed";
      if (captureContent) summary.outputMessages = responsesOutput(body.output, reason);
      break;
    }
    case "anthropic.messages": {
      const reason = str(body.stop_reason);
      if (reason !== undefined) summary.finishReasons = [reason];
      if (captureContent) {
        const message: Message = { role: "assistant", parts: anthropicParts(body.content) };
        if (reason !== undefined) message.finish_reason = reason;
        summary.outputMessages = [message];
      }
      break;
    }
    case "openai.embeddings":
      break;
  }
  return summary;
}

/** error.type from an error body: the provider's own type or code where it has one. */
export function errorFromBody(text: string, status: number): { type: string; message?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { type: String(status) };
  }
  if (Array.isArray(body)) body = body[0];
  if (isObject(body) && isObject(body.error)) {
    const error = body.error;
    // OpenAI: {error:{type,code}}, Anthropic: {type:"error",error:{type}}, Gemini: {error:{code:429,status}}.
    const type = str(error.type) ?? str(error.code) ?? str(error.status);
    const result: { type: string; message?: string } = { type: type ?? String(status) };
    const message = str(error.message);
    if (message !== undefined) result.message = message;
    return result;
  }
  return { type: String(status) };
}
