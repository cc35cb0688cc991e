// model-selection: calls with small outputs on an expensive model. The saving prices the same
// tokens with the cheapest known model of the same provider, when it costs at most
// CHEAPER_MODEL_MAX_COST_RATIO of the current one. Needs prices (ReportOptions.prices).

import { CHEAPER_MODEL_MAX_COST_RATIO, EXAMPLE_TRACES, SMALL_OUTPUT_TOKENS } from "../constants.js";
import type { LlmRollup } from "../llm-rollup.js";
import { Keyed } from "../keyed.js";
import { addUsd, usd, usdOf, usdSum, type UsdSum } from "../numbers.js";
import { costOf, type PriceLookup } from "../options.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { mergeValue } from "../merge-state.js";
import { addExample, examplesText, type Advisor, type Draft, type Example } from "./types.js";

interface Usage {
  provider: string;
  model: string;
  calls: number;
  smallCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: UsdSum;
  traces: Example[];
}

export class ModelSelectionAdvisor implements Advisor {
  private readonly models = new Keyed<Usage>();

  constructor(
    private readonly llm: LlmRollup,
    private readonly prices: PriceLookup | undefined,
    private readonly cheaperModels: (provider: string) => readonly string[],
  ) {}

  addTrace(f: TraceFacts): void {
    for (const node of f.trace.nodes) {
      if (node.role !== Role.Llm) continue;
      const llm = node.llm!;
      let u = this.models.get(llm.provider, llm.model);
      if (u === undefined) {
        u = {
          provider: llm.provider,
          model: llm.model,
          calls: 0,
          smallCalls: 0,
          inputTokens: 0,
          outputTokens: 0,
          cacheReadTokens: 0,
          costUsd: usdSum(),
          traces: [],
        };
        this.models.set(llm.provider, llm.model, u);
      }
      u.calls++;
      // Calls without output (embeddings, failures) say nothing about the model's size.
      if (llm.outputTokens <= 0 || llm.outputTokens > SMALL_OUTPUT_TOKENS) continue;
      u.smallCalls++;
      u.inputTokens += llm.inputTokens;
      u.outputTokens += llm.outputTokens;
      u.cacheReadTokens += llm.cacheReadTokens;
      addUsd(u.costUsd, this.llm.costOf(node));
      addExample(u.traces, f.traceId, node.spanId, EXAMPLE_TRACES);
    }
  }

  state(): unknown {
    return this.models;
  }

  merge(state: unknown): void {
    mergeValue(this.models, state, {}, "");
  }

  findings(): Draft[] {
    const prices = this.prices;
    if (prices === undefined) return [];
    const out: Draft[] = [];
    for (const u of this.models.values()) {
      const spent = usdOf(u.costUsd);
      if (u.smallCalls === 0 || !(spent > 0)) continue;
      let best: { model: string; costUsd: number } | undefined;
      for (const model of this.cheaperModels(u.provider)) {
        if (model === u.model) continue;
        const rates = prices(u.provider, model);
        if (rates === undefined) continue;
        const costUsd = costOf(rates, u.inputTokens, u.outputTokens, u.cacheReadTokens);
        if (best === undefined || costUsd < best.costUsd) best = { model, costUsd };
      }
      if (best === undefined || best.costUsd > spent * CHEAPER_MODEL_MAX_COST_RATIO) continue;
      out.push({
        kind: "model-selection",
        target: `${u.provider} ${u.model}`,
        estimatedSavingMs: 0,
        estimatedSavingUsd: usd(spent - best.costUsd),
        evidence:
          `${u.smallCalls} of ${u.calls} call(s) produced at most ${SMALL_OUTPUT_TOKENS} output tokens ` +
          `(mean ${Math.round(u.outputTokens / u.smallCalls)}); they cost $${usd(spent)} on ${u.model}, ` +
          `$${usd(best.costUsd)} on ${best.model}${examplesText(u.traces)}`,
        cause: `${u.smallCalls} call(s) with small outputs ran on ${u.model}, priced for larger work`,
        fix: `route these calls to ${best.model} (same provider), and check the answers stay good enough`,
        examples: u.traces,
      });
    }
    return out;
  }
}
