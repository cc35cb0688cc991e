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
