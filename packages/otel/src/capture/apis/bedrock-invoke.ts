// Amazon Bedrock InvokeModel (`…/model/{id}/invoke`) and InvokeModelWithResponseStream
// (`…/invoke-with-response-stream`): the model's own request and response format. Read here:
// Anthropic Messages bodies (Claude on Bedrock) and Converse-shaped bodies (Amazon Nova); for
// every model, the token counts Bedrock adds as response headers (whole responses) or as
// `amazon-bedrock-invocationMetrics` in the last streamed chunk.
import { usageFromAnthropic, usageFromBedrock } from "../../llm/usage-adapters.js";
import type { LlmUsage } from "../../llm/types.js";
import type { LlmApiAdapter } from "../wire/api-adapter.js";
import { isObject, str } from "../wire/content.js";
import { parseJsonObject } from "../wire/json.js";
import type { Accumulator, ResponseSummary } from "../wire/summary.js";
import { anthropicMessages } from "./anthropic-messages.js";
import { converseMessages, summarizeConverse } from "./bedrock-converse.js";
import { bedrockPathFields, isStreamError } from "./bedrock-paths.js";

const INVOCATION_METRICS = "amazon-bedrock-invocationMetrics";

const HEADER_COUNTS = [
  ["x-amzn-bedrock-input-token-count", "inputTokenCount"],
  ["x-amzn-bedrock-output-token-count", "outputTokenCount"],
  ["x-amzn-bedrock-cache-read-input-token-count", "cacheReadInputTokenCount"],
  ["x-amzn-bedrock-cache-write-input-token-count", "cacheWriteInputTokenCount"],
] as const;

/** Usage of either shape an InvokeModel response carries: the model's own (Claude's), or Bedrock's counts. */
function invokeUsage(raw: unknown): LlmUsage | undefined {
  return usageFromBedrock(raw) ?? usageFromAnthropic(raw);
}

function summarizeInvoke(body: unknown, captureContent: boolean): ResponseSummary {
  if (!isObject(body)) return {};
  if (body.type === "message") return anthropicMessages.summarizeJson(body, captureContent);
  if (isObject(body.output) || isObject(body.usage)) return summarizeConverse(body, captureContent);
  return {};
}

/** InvokeModelWithResponseStream: `chunk` events whose `bytes` are the model's own stream events, base64. */
class InvokeStreamAccumulator implements Accumulator {
  readonly #inner: Accumulator;
  #metrics: unknown;
  #error: ResponseSummary | undefined;
  readonly onlyTailNeeded = false;

  constructor(captureContent: boolean) {
    this.#inner = anthropicMessages.streamAccumulator(captureContent);
  }

  get complete(): boolean {
    return this.#inner.complete || this.#metrics !== undefined;
  }

  wants(): boolean {
    return true;
  }

  event(event: string, data: string): void {
    const payload = parseJsonObject(data);
    if (payload === undefined) return;
    if (isStreamError(event)) {
      this.#error = { errorType: event };
      const message = str(payload.message);
      if (message !== undefined) this.#error.errorMessage = message;
      return;
    }
    if (event !== "chunk" || typeof payload.bytes !== "string") return;
    const text = Buffer.from(payload.bytes, "base64").toString("utf8");
    const inner = parseJsonObject(text);
    if (inner === undefined) return;
    if (isObject(inner[INVOCATION_METRICS])) this.#metrics = inner[INVOCATION_METRICS];
    if (typeof inner.type === "string") this.#inner.event(inner.type, text);
  }

  finish(): ResponseSummary {
    const summary = { ...this.#inner.finish(), ...this.#error };
    // The model's own usage where it gives one (it tells cache reads and writes); else Bedrock's counts.
    if (invokeUsage(summary.rawUsage) === undefined && this.#metrics !== undefined) summary.rawUsage = this.#metrics;
    return summary;
  }
}

export const bedrockInvoke: LlmApiAdapter = {
  api: "aws.bedrock.invoke",
  ...bedrockPathFields("invoke"),
  // The path says it all: the body is whatever the model takes.
  bodyMatches: () => true,
  requestContent(body) {
    if (typeof body.anthropic_version === "string") return anthropicMessages.requestContent(body);
    return Array.isArray(body.messages) ? { input: converseMessages(body.messages) } : undefined;
  },
  summarizeJson: summarizeInvoke,
  streamAccumulator: (captureContent) => new InvokeStreamAccumulator(captureContent),
  usage: invokeUsage,
  usageFromHeaders(header) {
    const counts: Record<string, number> = {};
    for (const [name, key] of HEADER_COUNTS) {
      const value = Number(header(name) ?? Number.NaN);
      if (Number.isInteger(value) && value >= 0) counts[key] = value;
    }
    return counts.inputTokenCount !== undefined && counts.outputTokenCount !== undefined ? counts : undefined;
  },
};
