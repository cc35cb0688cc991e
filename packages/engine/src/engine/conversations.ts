// Conversations of zero-code apps that open no root span: each LLM call is then its own trace, so
// a retry or the next turn of the same agent lands in another trace. The capture's prompt-prefix
// fingerprints chain them: a call continues a conversation when its prefix chain holds the whole
// prompt of that conversation's latest call (a retry resends it exactly, the next turn adds the
// answer and the tool results after it) and it starts after that call ended (so two runs that
// open with the same prompt side by side stay apart). A conversation counts as one run.

import type { CallInsight } from "./call-insight.js";
import { isFailedCall } from "./failed-call.js";
import { LONE_CALLS_MAX } from "./constants.js";
import { PartsNotMergeable } from "./merge-state.js";
import type { LlmRollup } from "./llm-rollup.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

/** The LLM call of a trace that holds no other (and no workflow or step): a call with no root span, or one request's call. */
export interface ConversationCall {
  traceId: string;
  spanId: string;
  start: number;
  end: number;
  provider: string;
  model: string;
  error: boolean;
  /** The trace counted as a succeeded run (no root span with an error; steps.ts). */
  traceOk: boolean;
  costUsd: number;
  call: CallInsight;
}

/** Conversations kept open per whole-prompt fingerprint: runs side by side at one time. */
const OPEN_RUNS_PER_PROMPT = 16;

export class Conversations {
  private readonly calls: ConversationCall[] = [];
  /** Lone calls past LONE_CALLS_MAX, left ungrouped. */
  skipped = 0;

  constructor(private readonly llm: LlmRollup) {}

  /** `laterPart`: a later part of a trace analysed in parts (its run was counted with the first part). */
  addTrace(f: TraceFacts, laterPart = false): void {
    if (laterPart) return;
    const nodes = f.trace.nodes;
    let lone = -1;
    for (let i = 0; i < nodes.length; i++) {
      const role = nodes[i]!.role;
      if (role === Role.Workflow || role === Role.Step || role === Role.Attempt) return;
      if (role !== Role.Llm) continue;
      if (lone >= 0) return;
      lone = i;
    }
    if (lone < 0) return;
    const node = nodes[lone]!;
    if (node.call === undefined || node.call.prefixHashes.length === 0) return;
    if (this.calls.length >= LONE_CALLS_MAX) {
      this.skipped++;
      return;
    }
    const llm = node.llm!;
    this.calls.push({
      traceId: f.traceId,
      spanId: node.spanId,
      start: node.start,
      end: node.end,
      provider: llm.provider,
      model: llm.model,
      error: node.error,
      traceOk: !f.trace.roots.some((r) => nodes[r]!.error),
      costUsd: this.llm.costOf(node),
      call: node.call,
    });
  }

  state() {
    return { calls: this.calls, skipped: this.skipped };
  }

  /** A later part's lone calls: the conversations are chained from all of them at finish. */
  merge(s: ReturnType<Conversations["state"]>): void {
    // Which calls past the cap are left out depends on the order the traces were analysed in.
    if (this.skipped + s.skipped > 0 || this.calls.length + s.calls.length > LONE_CALLS_MAX) throw new PartsNotMergeable("more lone calls than are chained");
    for (const c of s.calls) this.calls.push(c);
  }

  /** The conversations of two calls or more, each by start. */
  groups(): ConversationCall[][] {
    const sorted = this.calls.slice().sort((a, b) => a.start - b.start || (a.spanId < b.spanId ? -1 : 1));
    const conversations: ConversationCall[][] = [];
    // The conversations whose latest call sent this whole prompt (runs of one agent share them).
    const tips = new Map<string, number[]>();
    for (const c of sorted) {
      const hashes = c.call.prefixHashes;
      // Of the conversations whose whole latest prompt this call carries, the one that went quiet
      // last before it started (the same prompt can be the tip of several runs of one agent).
      let joined = -1;
      let joinedTip = "";
      for (let k = hashes.length - 1; k >= 0; k--) {
        const open = tips.get(hashes[k]!);
        if (open === undefined) continue;
        // The same whole prompt again continues a conversation only as the retry of a failure:
        // an app that asks the same thing twice in a row (a batch, a benchmark) runs twice.
        const resent = k === hashes.length - 1;
        for (const at of open) {
          const last = conversations[at]!.at(-1)!;
          if (last.end > c.start + 1e6 || last.provider !== c.provider) continue;
          if (resent && !isFailedCall(last.error, last.call)) continue;
          if (joined < 0 || last.end > conversations[joined]!.at(-1)!.end) {
            joined = at;
            joinedTip = hashes[k]!;
          }
        }
      }
      if (joined >= 0) {
        const open = tips.get(joinedTip)!;
        open.splice(open.indexOf(joined), 1);
        if (open.length === 0) tips.delete(joinedTip);
        conversations[joined]!.push(c);
      }
      if (joined < 0) {
        joined = conversations.length;
        conversations.push([c]);
      }
      const tip = hashes[hashes.length - 1]!;
      const open = tips.get(tip);
      if (open === undefined) tips.set(tip, [joined]);
      else {
        // Many runs opening with one prompt (a batch asking it over and over) keep only the latest.
        if (open.length >= OPEN_RUNS_PER_PROMPT) open.shift();
        open.push(joined);
      }
    }
    return conversations.filter((c) => c.length > 1);
  }
}

/** Runs and succeeded runs as counted per trace, made one run per conversation (succeeded when its last call did). */
export function runsWithConversations(
  runs: number,
  succeeded: number,
  conversations: readonly (readonly ConversationCall[])[],
): { runs: number; succeeded: number } {
  for (const c of conversations) {
    runs -= c.length - 1;
    succeeded -= c.filter((call) => call.traceOk).length - (c.at(-1)!.traceOk ? 1 : 0);
  }
  return { runs, succeeded };
}
