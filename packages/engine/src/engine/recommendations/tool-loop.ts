// tool-loop: the model asked for the same tool with the same arguments
// (jotty.llm.response.tool_call_hashes) TOOL_LOOP_MIN_CALLS times or more in one run — a trace's
// run, or a conversation of one-call traces when the app opens no root span. Saving: the time
// and cost of the LLM calls that asked for the repeats (every one after the first).

import { EXAMPLE_TRACES, TOOL_LOOP_MIN_CALLS } from "../constants.js";
import { addUsd, ms, usd, usdOf, usdSum, type UsdSum } from "../numbers.js";
import type { CallInsight } from "../call-insight.js";
import type { TraceFacts } from "../trace-facts.js";
import { callsByRun } from "./run-calls.js";
import { mergeValue } from "../merge-state.js";
import { addExample, type Advisor, type AdvisorContext, type Draft, type Example, type FinishContext } from "./types.js";

/** An LLM call of a run, as the loop search reads it. */
interface RunCall {
  traceId: string;
  spanId: string;
  durationNs: number;
  costUsd: number;
  call: CallInsight;
}

interface Group {
  tool: string;
  loops: number;
  repeats: number;
  most: number;
  savingNs: number;
  savingUsd: UsdSum;
  examples: Example[];
}

export class ToolLoopAdvisor implements Advisor {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly ctx: AdvisorContext) {}

  addTrace(f: TraceFacts): void {
    for (const calls of callsByRun(f)) {
      this.addRun(
        calls.map((node) => ({
          traceId: f.traceId,
          spanId: node.spanId,
          durationNs: node.end - node.start,
          costUsd: this.ctx.llm.costOf(node),
          call: node.call!,
        })),
      );
    }
  }

  private addRun(calls: readonly RunCall[]): void {
    const byPrint = new Map<string, { tool: string; callers: RunCall[] }>();
    for (const c of calls) {
      const { toolCallHashes, toolCallNames } = c.call;
      for (let k = 0; k < toolCallHashes.length; k++) {
        const hash = toolCallHashes[k]!;
        let p = byPrint.get(hash);
        if (p === undefined) byPrint.set(hash, (p = { tool: toolCallNames[k] ?? "", callers: [] }));
        p.callers.push(c);
      }
    }
    for (const p of byPrint.values()) {
      if (p.callers.length < TOOL_LOOP_MIN_CALLS) continue;
      let g = this.groups.get(p.tool);
      if (g === undefined) this.groups.set(p.tool, (g = { tool: p.tool, loops: 0, repeats: 0, most: 0, savingNs: 0, savingUsd: usdSum(), examples: [] }));
      g.loops++;
      g.repeats += p.callers.length - 1;
      g.most = Math.max(g.most, p.callers.length);
      for (const c of p.callers.slice(1)) {
        g.savingNs += c.durationNs;
        addUsd(g.savingUsd, c.costUsd);
      }
      addExample(g.examples, p.callers[1]!.traceId, p.callers[1]!.spanId, EXAMPLE_TRACES);
    }
  }

  state(): unknown {
    return this.groups;
  }

  merge(state: unknown): void {
    mergeValue(this.groups, state, { max: ["most"] }, "");
  }

  findings(done: FinishContext): Draft[] {
    for (const conversation of done.conversations) {
      this.addRun(conversation.map((c) => ({ traceId: c.traceId, spanId: c.spanId, durationNs: c.end - c.start, costUsd: c.costUsd, call: c.call })));
    }
    return [...this.groups.values()].map((g) => ({
      kind: "tool-loop" as const,
      target: `tool ${g.tool || "(unnamed)"}`,
      estimatedSavingMs: ms(g.savingNs),
      estimatedSavingUsd: usd(usdOf(g.savingUsd)),
      evidence: `${g.loops} run(s) asked for ${g.tool || "a tool"} with the same arguments up to ${g.most}× (${g.repeats} repeat(s)); the calls that asked for the repeats are the saving`,
      cause: `the model called ${g.tool || "the tool"} again with identical arguments, getting nothing new, instead of moving on`,
      fix: "return the earlier result for a repeated call (memoise the tool by its arguments) and tell the model it already has it; cap the repeats of one call per run",
      examples: g.examples,
    }));
  }
}
