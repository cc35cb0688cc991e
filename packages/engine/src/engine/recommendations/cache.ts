// cache: the same jotty.llm.prompt_hash answered more than once. Keeping the earliest successful
// call of each prompt, the repeats' critical-path time and cost is what a response cache would
// save. Failed calls are left out: there was no answer to cache.

import { EXAMPLE_TRACES } from "../constants.js";
import type { LlmRollup } from "../llm-rollup.js";
import { addUsd, ms, picoRounded, usd, usdOf, usdSum, type UsdSum } from "../numbers.js";
import { mergeValue } from "../merge-state.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { addExample, examplesText, type Advisor, type Draft, type Example } from "./types.js";

interface Prompt {
  provider: string;
  model: string;
  count: number;
  critNs: number;
  costUsd: UsdSum;
  firstStart: number;
  firstKey: string;
  firstCritNs: number;
  firstCostUsd: number;
  traces: Example[];
}

export class CacheAdvisor implements Advisor {
  private readonly prompts = new Map<string, Prompt>();

  constructor(private readonly llm: LlmRollup) {}

  addTrace(f: TraceFacts): void {
    const nodes = f.trace.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm || node.error || node.llm!.promptHash === "") continue;
      const { promptHash, provider, model } = node.llm!;
      const crit = f.subtreeCritNs[i]!;
      const cost = picoRounded(this.llm.costOf(node));
      const key = f.traceId + "/" + node.spanId;
      let p = this.prompts.get(promptHash);
      if (p === undefined) {
        p = {
          provider,
          model,
          count: 0,
          critNs: 0,
          costUsd: usdSum(),
          firstStart: node.start,
          firstKey: key,
          firstCritNs: crit,
          firstCostUsd: cost,
          traces: [],
        };
        this.prompts.set(promptHash, p);
      } else if (node.start < p.firstStart || (node.start === p.firstStart && key < p.firstKey)) {
        Object.assign(p, { provider, model, firstStart: node.start, firstKey: key, firstCritNs: crit, firstCostUsd: cost });
      }
      p.count++;
      p.critNs += crit;
      addUsd(p.costUsd, cost);
      addExample(p.traces, f.traceId, node.spanId, EXAMPLE_TRACES);
    }
  }

  state(): unknown {
    return this.prompts;
  }

  merge(state: unknown): void {
    for (const [hash, p] of state as Map<string, Prompt>) {
      const held = this.prompts.get(hash);
      if (held === undefined) {
        this.prompts.set(hash, p);
        continue;
      }
      if (p.firstStart < held.firstStart || (p.firstStart === held.firstStart && p.firstKey < held.firstKey)) {
        const { provider, model, firstStart, firstKey, firstCritNs, firstCostUsd } = p;
        Object.assign(held, { provider, model, firstStart, firstKey, firstCritNs, firstCostUsd });
      }
      held.count += p.count;
      held.critNs += p.critNs;
      mergeValue(held.costUsd, p.costUsd);
      for (const t of p.traces) addExample(held.traces, t.traceId, t.spanId, EXAMPLE_TRACES);
    }
  }

  findings(): Draft[] {
    const byModel = new Map<
      string,
      { target: string; prompts: number; repeats: number; maxCount: number; savingNs: number; savingUsd: number; traces: Example[] }
    >();
    for (const p of this.prompts.values()) {
      if (p.count < 2) continue;
      const target = `${p.provider} ${p.model}`;
      let g = byModel.get(target);
      if (g === undefined) byModel.set(target, (g = { target, prompts: 0, repeats: 0, maxCount: 0, savingNs: 0, savingUsd: 0, traces: [] }));
      g.prompts++;
      g.repeats += p.count - 1;
      g.maxCount = Math.max(g.maxCount, p.count);
      g.savingNs += p.critNs - p.firstCritNs;
      g.savingUsd += usdOf(p.costUsd) - p.firstCostUsd;
      for (const t of p.traces) addExample(g.traces, t.traceId, t.spanId, EXAMPLE_TRACES);
    }
    return [...byModel.values()].map((g) => ({
      kind: "cache" as const,
      target: g.target,
      estimatedSavingMs: ms(g.savingNs),
      estimatedSavingUsd: usd(g.savingUsd),
      evidence: `${g.repeats} repeated call(s) of ${g.prompts} prompt(s) seen more than once (up to ${g.maxCount}×)${examplesText(g.traces)}`,
      cause: `the same request (model, messages, tools, parameters) was sent ${g.repeats} more time(s) and answered again`,
      fix: "cache responses by the request's canonical hash (jotty.llm.prompt_hash) in front of the client, or reuse the earlier answer in the app",
      examples: g.traces,
    }));
  }
}
