// The provider of a model named without one (a Langfuse generation records only the model): the
// price catalog's provider whose models match the id, memoised per model.

import { genaiPrices } from "../genai-prices.js";

const byModel = new Map<string, string | undefined>();

export function providerOfModel(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  if (byModel.has(model)) return byModel.get(model);
  let provider: string | undefined;
  try {
    provider = genaiPrices().findProvider({ modelId: model })?.id;
  } catch {
    provider = undefined;
  }
  byModel.set(model, provider);
  return provider;
}

/** The AI SDK's provider ids (also Mastra's) are `<provider>.<api>`: openai.chat, anthropic.messages. */
export function providerOf(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const dot = id.indexOf(".");
  return dot > 0 ? id.slice(0, dot) : id;
}
