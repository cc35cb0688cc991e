// verbose-output: answers cut at their token limit (finish reason length / max_tokens), and
// answers VERBOSE_OUTPUT_FACTOR times their step's median output or more. Saving: a cut
// answer's output tokens and its time (it has to be asked for again); for a long one, the
// tokens beyond the median and the same share of its time.

import { EXAMPLE_TRACES, VERBOSE_MIN_CALLS, VERBOSE_MIN_EXTRA_TOKENS, VERBOSE_OUTPUT_FACTOR } from "../constants.js";
import { hitTokenLimit } from "../call-insight.js";
import { ms, usd } from "../numbers.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { mergeValue } from "../merge-state.js";
import { addExample, type Advisor, type AdvisorContext, type Draft, type Example } from "./types.js";

/** Calls kept per group for the median. */
const MAX_CALLS = 10_000;

interface Call {
  output: number;
  ns: number;
  usdPerOutput: number;
  cut: boolean;
  maxTokens: number;
  traceId: string;
  spanId: string;
}

export class VerboseOutputAdvisor implements Advisor {
  private readonly groups = new Map<string, Call[]>();

  constructor(private readonly ctx: AdvisorContext) {}

  addTrace(f: TraceFacts): void {
    const nodes = f.trace.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm || node.error || node.llm!.outputTokens <= 0) continue;
      const s = f.stepOf[i]!;
      const llm = node.llm!;
      const target =
        s >= 0 ? `step ${nodes[s]!.step?.index ?? nodes[s]!.stepIndex}: ${nodes[s]!.step?.name ?? nodes[s]!.label}` : `${llm.provider} ${llm.model}`;
      let list = this.groups.get(target);
      if (list === undefined) this.groups.set(target, (list = []));
      if (list.length >= MAX_CALLS) continue;
      const rates = this.ctx.prices?.(llm.provider, llm.pricedModel);
      list.push({
        output: llm.outputTokens,
        ns: node.end - node.start,
        usdPerOutput: rates?.output ?? 0,
        cut: hitTokenLimit(node.call!),
        maxTokens: node.call!.maxTokens,
        traceId: f.traceId,
        spanId: node.spanId,
      });
    }
  }

  state(): unknown {
    return this.groups;
  }

  merge(state: unknown): void {
    mergeValue(this.groups, state, { caps: { groups: MAX_CALLS } }, "groups");
  }

  findings(): Draft[] {
    const out: Draft[] = [];
    for (const [target, calls] of this.groups) {
      const outputs = calls
        .filter((c) => !c.cut)
        .map((c) => c.output)
        .sort((a, b) => a - b);
      const median = outputs.length > 0 ? outputs[(outputs.length - 1) >> 1]! : 0;
      let cut = 0;
      let long = 0;
      let tokens = 0;
      let savingNs = 0;
      let savingUsd = 0;
      const limits = new Set<number>();
      const examples: Example[] = [];
      for (const c of calls) {
        if (c.cut) {
          cut++;
          tokens += c.output;
          savingNs += c.ns;
          savingUsd += c.output * c.usdPerOutput;
          if (c.maxTokens > 0) limits.add(c.maxTokens);
        } else if (
          median > 0 &&
          outputs.length >= VERBOSE_MIN_CALLS &&
          c.output >= VERBOSE_OUTPUT_FACTOR * median &&
          c.output - median >= VERBOSE_MIN_EXTRA_TOKENS
        ) {
          long++;
          const extra = c.output - median;
          tokens += extra;
          savingNs += (c.ns * extra) / c.output;
          savingUsd += extra * c.usdPerOutput;
        } else continue;
        addExample(examples, c.traceId, c.spanId, EXAMPLE_TRACES);
      }
      if (cut + long === 0) continue;
      const parts = [
        ...(cut > 0 ? [`${cut} answer(s) cut at their token limit${limits.size > 0 ? ` (max_tokens ${[...limits].join(", ")})` : ""}`] : []),
        ...(long > 0 ? [`${long} answer(s) ${VERBOSE_OUTPUT_FACTOR}× or more the usual ${median} output tokens`] : []),
      ];
      out.push({
        kind: "verbose-output",
        target,
        estimatedSavingMs: ms(savingNs),
        estimatedSavingUsd: usd(savingUsd),
        evidence: `${parts.join("; ")} of ${calls.length} call(s); ${Math.round(tokens)} output tokens`,
        cause:
          cut > 0
            ? "the model wrote until max_tokens stopped it: the answer is incomplete and its tokens were paid for and waited on"
            : "the model wrote far more than this step usually needs",
        fix:
          cut > 0
            ? "ask for less (a length limit or a structured output in the prompt) so the answer completes, or raise max_tokens to what a complete answer needs"
            : "ask for a shorter answer (a length limit, a structured output) and set max_tokens near what the step needs",
        examples,
      });
    }
    return out;
  }
}
