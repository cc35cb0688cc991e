// LLM calls: count, tokens and cost in total and by provider and model.

import type { Report } from "../report.js";
import { Keyed } from "./keyed.js";
import { addUsd, cmp, ms, percentile, share, usd, usdOf, usdSum, type UsdSum } from "./numbers.js";
import { addSample, samples, sortedSamples, type Samples } from "./samples.js";
import type { PriceLookup } from "./options.js";
import { costOf } from "./options.js";
import { Role, type SpanNode } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";
import { mergeValue } from "./merge-state.js";

export interface ModelAcc {
  provider: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: UsdSum;
  durations: Samples;
}

export class LlmRollup {
  private readonly models = new Keyed<ModelAcc>();
  calls = 0;
  unionNs = 0;
  critNs = 0;

  constructor(private readonly prices: PriceLookup | undefined) {}

  /** The call's cost: gen_ai.usage.cost when recorded, else priced from the lookup, else 0. */
  costOf(node: SpanNode): number {
    const llm = node.llm!;
    if (!Number.isNaN(llm.costUsd)) return llm.costUsd;
    const rates = this.prices?.(llm.provider, llm.pricedModel);
    return rates ? costOf(rates, llm.inputTokens, llm.outputTokens, llm.cacheReadTokens, llm.cacheWriteTokens) : 0;
  }

  addTrace(f: TraceFacts): void {
    this.unionNs += f.llmUnionNs;
    this.critNs += f.llmCritNs;
    for (const node of f.trace.nodes) {
      if (node.role !== Role.Llm) continue;
      const llm = node.llm!;
      let acc = this.models.get(llm.provider, llm.model);
      if (acc === undefined) {
        acc = {
          provider: llm.provider,
          model: llm.model,
          calls: 0,
          inputTokens: 0,
          outputTokens: 0,
          cacheReadTokens: 0,
          costUsd: usdSum(),
          durations: samples(),
        };
        this.models.set(llm.provider, llm.model, acc);
      }
      const requests = llm.requests ?? 1;
      this.calls += requests;
      acc.calls += requests;
      acc.inputTokens += llm.inputTokens;
      acc.outputTokens += llm.outputTokens;
      acc.cacheReadTokens += llm.cacheReadTokens;
      addUsd(acc.costUsd, this.costOf(node));
      addSample(acc.durations, node.end - node.start);
    }
  }

  state() {
    return { models: this.models, calls: this.calls, unionNs: this.unionNs, critNs: this.critNs };
  }

  merge(s: ReturnType<LlmRollup["state"]>): void {
    mergeValue(this.models, s.models);
    this.calls += s.calls;
    this.unionNs += s.unionNs;
    this.critNs += s.critNs;
  }

  section(wallNs: number, critTotalNs: number): Report["llm"] {
    const byModel = [...this.models.values()]
      .map((m) => {
        const sorted = sortedSamples(m.durations);
        return {
          provider: m.provider,
          model: m.model,
          calls: m.calls,
          inputTokens: m.inputTokens,
          outputTokens: m.outputTokens,
          cacheReadTokens: m.cacheReadTokens,
          costUsd: usd(usdOf(m.costUsd)),
          p50Ms: ms(percentile(sorted, 50)),
          p95Ms: ms(percentile(sorted, 95)),
        };
      })
      .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || cmp(a.provider + a.model, b.provider + b.model));
    let inputTokens = 0;
    let outputTokens = 0;
    let cacheReadTokens = 0;
    const costUsd = usdSum();
    for (const m of this.models.values()) {
      inputTokens += m.inputTokens;
      outputTokens += m.outputTokens;
      cacheReadTokens += m.cacheReadTokens;
      mergeValue(costUsd, m.costUsd);
    }
    return {
      calls: this.calls,
      ms: ms(this.unionNs),
      share: share(this.unionNs, wallNs),
      criticalShare: share(this.critNs, critTotalNs),
      inputTokens,
      outputTokens,
      cacheReadTokens,
      costUsd: usd(usdOf(costUsd)),
      byModel,
    };
  }
}
