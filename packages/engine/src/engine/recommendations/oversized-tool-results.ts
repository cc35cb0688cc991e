// oversized-tool-results: tool results (jotty.llm.request.tool_result_bytes) of at least
// OVERSIZED_TOOL_RESULT_TOKENS that every later call of the run carries again. Saving: the tokens
// beyond KEPT_TOOL_RESULT_TOKENS of each such result, over every call that carried it, at the
// call's input price, and their prefill time (estimates.ts). A run is a trace's, or a conversation
// of one-call traces (conversations.ts).

import { EXAMPLE_TRACES, KEPT_TOOL_RESULT_TOKENS, OVERSIZED_TOOL_RESULT_TOKENS } from "../constants.js";
import { addUsd, ms, usd, usdOf, usdSum, type UsdSum } from "../numbers.js";
import { prefillSavingNs } from "./estimates.js";
import type { TraceFacts } from "../trace-facts.js";
import { BYTES_PER_TOKEN } from "./estimates.js";
import { callsByRun } from "./run-calls.js";
import { mergeValue } from "../merge-state.js";
import { addExample, type Advisor, type AdvisorContext, type Draft, type Example, type FinishContext } from "./types.js";

interface Group {
  tool: string;
  results: number;
  carried: number;
  excessTokens: number;
  savingNs: number;
  savingUsd: UsdSum;
  largestBytes: number;
  examples: Example[];
}

export class OversizedToolResultsAdvisor implements Advisor {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly ctx: AdvisorContext) {}

  addTrace(f: TraceFacts): void {
    for (const calls of callsByRun(f)) {
      const counted = new Set<string>();
      for (const node of calls) {
        const { toolResultBytes, toolResultNames } = node.call!;
        const rate = this.ctx.inputRate(node.llm!.provider, node.llm!.pricedModel);
        for (let j = 0; j < toolResultBytes.length; j++) {
          const bytes = toolResultBytes[j]!;
          const tokens = bytes / BYTES_PER_TOKEN;
          if (tokens < OVERSIZED_TOOL_RESULT_TOKENS) continue;
          const tool = toolResultNames[j] ?? "";
          let g = this.groups.get(tool);
          if (g === undefined)
            this.groups.set(tool, (g = { tool, results: 0, carried: 0, excessTokens: 0, savingNs: 0, savingUsd: usdSum(), largestBytes: 0, examples: [] }));
          // The j-th result of a run stays the j-th in every later request of it.
          const key = `${j}/${bytes}`;
          if (!counted.has(key)) {
            counted.add(key);
            g.results++;
          }
          const excess = tokens - KEPT_TOOL_RESULT_TOKENS;
          g.carried++;
          g.excessTokens += excess;
          addUsd(g.savingUsd, excess * rate);
          g.savingNs += prefillSavingNs(excess, node.llm!.inputTokens, node.end - node.start);
          g.largestBytes = Math.max(g.largestBytes, bytes);
          addExample(g.examples, f.traceId, node.spanId, EXAMPLE_TRACES);
        }
      }
    }
  }

  state(): unknown {
    return this.groups;
  }

  merge(state: unknown): void {
    mergeValue(this.groups, state, { max: ["largestBytes"] }, "");
  }

  /** A result carried through a conversation of one-call traces was counted in each: count it once. */
  private countOncePerConversation(done: FinishContext): void {
    for (const conversation of done.conversations) {
      const seen = new Set<string>();
      for (const c of conversation) {
        const { toolResultBytes, toolResultNames } = c.call;
        for (let j = 0; j < toolResultBytes.length; j++) {
          const bytes = toolResultBytes[j]!;
          if (bytes / BYTES_PER_TOKEN < OVERSIZED_TOOL_RESULT_TOKENS) continue;
          const tool = toolResultNames[j] ?? "";
          const key = `${tool}/${j}/${bytes}`;
          if (seen.has(key)) this.groups.get(tool)!.results--;
          else seen.add(key);
        }
      }
    }
  }

  findings(done: FinishContext): Draft[] {
    this.countOncePerConversation(done);
    return [...this.groups.values()].map((g) => {
      const name = g.tool === "" ? "tool results" : `tool ${g.tool}`;
      return {
        kind: "oversized-tool-results" as const,
        target: name,
        estimatedSavingMs: ms(g.savingNs),
        estimatedSavingUsd: usd(usdOf(g.savingUsd)),
        evidence:
          `${g.results} result(s) of ${Math.round((OVERSIZED_TOOL_RESULT_TOKENS * BYTES_PER_TOKEN) / 1000)} KB or more (largest ${Math.round(g.largestBytes / 1000)} KB) ` +
          `carried in ${g.carried} request(s); ${Math.round(g.excessTokens)} input tokens beyond ${KEPT_TOOL_RESULT_TOKENS} a result`,
        cause: `${name === "tool results" ? "tool results" : `the results of ${g.tool}`} are large and stay in the context, so every later call of the run pays for them again`,
        fix: "truncate or summarise the result before it goes back to the model (keep what the next step needs), or return a reference (an id, a path) the model can ask to expand",
        examples: g.examples,
      };
    });
  }
}
