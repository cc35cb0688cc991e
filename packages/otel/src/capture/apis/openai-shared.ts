// What the OpenAI-shaped APIs (Chat, legacy Completions, Embeddings, Responses) share: the model
// may be named by an Azure deployment in the path, and the JSON body's model/id/usage fields.
import { isObject, str, withFinishReason, type Message } from "../wire/content.js";
import type { PathMatch } from "../wire/api-adapter.js";
import type { JsonObject } from "../wire/json.js";
import type { ResponseSummary } from "../wire/summary.js";
import { chatToolCalls, type ToolCallPrint } from "../wire/tool-calls.js";

const DEPLOYMENT = /\/deployments\/([^/]+)\//;

/** Matches a path ending in `suffix`; Azure OpenAI's deployment becomes the path model. */
export function matchOpenAIPath(path: string, suffix: string): PathMatch | undefined {
  if (!path.endsWith(suffix)) return undefined;
  const deployment = DEPLOYMENT.exec(path)?.[1];
  return deployment === undefined ? {} : { pathModel: decodeURIComponent(deployment) };
}

/** Azure OpenAI names the deployment in the path instead of the body. */
export function hasOpenAIModel(body: JsonObject, pathModel: string | undefined): boolean {
  return typeof body.model === "string" || pathModel !== undefined;
}

/** model, id (unless the API's ids are not response ids) and raw usage of a JSON body. */
export function openAIJsonBasics(body: JsonObject, withId = true): ResponseSummary {
  const summary: ResponseSummary = {};
  const model = str(body.model);
  if (model !== undefined) summary.model = model;
  const id = str(body.id);
  if (id !== undefined && withId) summary.id = id;
  if (body.usage !== undefined && body.usage !== null) summary.rawUsage = body.usage;
  return summary;
}

/** A Chat or legacy Completions JSON body: basics, each choice's finish reason, and (content capture) its message. */
export function summarizeChoices(body: unknown, captureContent: boolean, messageOf: (choice: JsonObject) => Message): ResponseSummary {
  if (!isObject(body)) return {};
  const summary = openAIJsonBasics(body);
  if (!Array.isArray(body.choices)) return summary;
  const reasons: string[] = [];
  const messages: Message[] = [];
  const toolCalls: ToolCallPrint[] = [];
  for (const choice of body.choices) {
    if (!isObject(choice)) continue;
    const reason = str(choice.finish_reason);
    if (reason !== undefined) reasons.push(reason);
    if (isObject(choice.message)) chatToolCalls(choice.message.tool_calls, toolCalls);
    if (captureContent) messages.push(withFinishReason(messageOf(choice), reason));
  }
  if (reasons.length > 0) summary.finishReasons = reasons;
  if (toolCalls.length > 0) summary.toolCalls = toolCalls;
  if (captureContent) summary.outputMessages = messages;
  return summary;
}
