// The Vercel AI SDK 5/6 telemetry (experimental_telemetry): ai.operationId names the span's part
// of a call. generateText/streamText are runs whose steps are the provider calls
// (doGenerate/doStream); their ai.usage.* is the sum over steps, never a call of its own.

import type { Span } from "../../model.js";
import { aiSdkAnthropicCache, aiSdkInputIncludesCache, isAnthropic, withCacheAddedBack } from "./anthropic-input.js";
import { firstNum, firstStr, str } from "./attrs.js";
import { recordedGenAiUsage } from "./gen-ai.js";
import { providerOf } from "./model-provider.js";
import { Frame, llmInfo, Role, type Reading } from "./reading.js";

const ATTR_OPERATION_ID = "ai.operationId";

export function readVercelAi(span: Span): Reading | undefined {
  const attrs = span.attributes;
  const operationId = str(attrs, ATTR_OPERATION_ID);
  if (operationId === undefined || !operationId.startsWith("ai.")) return undefined;
  if (operationId === "ai.toolCall") return { role: Role.Tool, label: str(attrs, "ai.toolCall.name") };
  const part = operationId.slice(operationId.lastIndexOf(".") + 1);
  if (part === "doGenerate" || part === "doStream" || part === "doEmbed") {
    const genAi = recordedGenAiUsage(attrs);
    const provider = providerOf(firstStr(attrs, "ai.model.provider")) ?? genAi.provider;
    const usage = {
      ...genAi,
      provider,
      model: firstStr(attrs, "ai.model.id") ?? genAi.model,
      responseModel: firstStr(attrs, "ai.response.model") ?? genAi.responseModel,
      input: firstNum(attrs, "ai.usage.inputTokens", "ai.usage.promptTokens", "ai.usage.tokens") ?? genAi.input,
      output: firstNum(attrs, "ai.usage.outputTokens", "ai.usage.completionTokens") ?? genAi.output,
      cacheRead: firstNum(attrs, "ai.usage.cachedInputTokens", "ai.usage.inputTokenDetails.cacheReadTokens") ?? genAi.cacheRead,
      cacheWrite: firstNum(attrs, "ai.usage.inputTokenDetails.cacheWriteTokens") ?? genAi.cacheWrite,
      reasoning: firstNum(attrs, "ai.usage.reasoningTokens", "ai.usage.outputTokenDetails.reasoningTokens") ?? genAi.reasoning,
    };
    if (!isAnthropic(provider) || aiSdkInputIncludesCache(attrs)) return { role: Role.Llm, llm: llmInfo(usage) };
    const cache = aiSdkAnthropicCache(attrs);
    const raw = { ...usage, cacheRead: usage.cacheRead ?? cache.cacheRead, cacheWrite: cache.cacheWrite ?? usage.cacheWrite };
    return { role: Role.Llm, llm: llmInfo(withCacheAddedBack(raw)) };
  }
  return { role: Role.Other, frame: Frame.Container, label: str(attrs, "ai.telemetry.functionId") };
}
