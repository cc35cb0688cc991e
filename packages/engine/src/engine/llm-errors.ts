// The report's errors section: failed LLM calls by provider, model and error type, with the time
// they lost — the failed calls' own wall time plus the client's backoff before its retry (within
// a trace, or across the traces of one conversation when the app opens no root span).

import type { Report } from "../report.js";
import { backoffCapNs, backoffEnd, isRetried } from "./call-backoff.js";
import type { CallInsight } from "./call-insight.js";
import { EXAMPLE_TRACES } from "./constants.js";
import { isFailedCall } from "./failed-call.js";
import type { ConversationCall } from "./conversations.js";
import { cmp, ms } from "./numbers.js";
import { mergeValue } from "./merge-state.js";
import { addExample, type Example } from "./recommendations/types.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

export type ErrorRow = NonNullable<Report["errors"]>[number];

export interface Group {
  provider: string;
  model: string;
  type: string;
  httpStatus: number;
  count: number;
  callNs: number;
  backoffNs: number;
  examples: Example[];
}

/** What the section calls the error: the provider's type, else the HTTP status. */
export const errorLabel = (c: CallInsight): string => c.errorType || (c.httpStatus > 0 ? `HTTP ${c.httpStatus}` : "error");

export class LlmErrorStats {
  private readonly groups = new Map<string, Group>();

  private group(provider: string, model: string, c: CallInsight): Group {
    const type = errorLabel(c);
    const key = `${provider}\u0000${model}\u0000${type}\u0000${c.httpStatus}`;
    let g = this.groups.get(key);
    if (g === undefined) this.groups.set(key, (g = { provider, model, type, httpStatus: c.httpStatus, count: 0, callNs: 0, backoffNs: 0, examples: [] }));
    return g;
  }

  addTrace(f: TraceFacts): void {
    const nodes = f.trace.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm || node.call === undefined || !isFailedCall(node.error, node.call)) continue;
      const g = this.group(node.llm!.provider, node.llm!.model, node.call);
      g.count++;
      g.callNs += node.end - node.start;
      if (isRetried(node.call)) g.backoffNs += backoffEnd(f, i) - node.end;
      addExample(g.examples, f.traceId, node.spanId, EXAMPLE_TRACES);
    }
  }

  state() {
    return this.groups;
  }

  merge(s: ReturnType<LlmErrorStats["state"]>): void {
    mergeValue(this.groups, s, { max: ["httpStatus"] });
  }

  /** The backoff between a failed lone call and the next call of its conversation (another trace). */
  addConversations(conversations: readonly (readonly ConversationCall[])[]): void {
    for (const conversation of conversations) {
      for (let k = 0; k + 1 < conversation.length; k++) {
        const a = conversation[k]!;
        if (!isFailedCall(a.error, a.call) || !isRetried(a.call)) continue;
        const wait = Math.min(conversation[k + 1]!.start - a.end, backoffCapNs(a.call));
        if (wait > 0) this.group(a.provider, a.model, a.call).backoffNs += wait;
      }
    }
  }

  /** Most time lost first; undefined when no LLM call failed. */
  rows(top: number): Report["errors"] {
    if (this.groups.size === 0) return undefined;
    return [...this.groups.values()]
      .map((g) => ({
        provider: g.provider,
        model: g.model,
        type: g.type,
        httpStatus: g.httpStatus,
        count: g.count,
        lostMs: ms(g.callNs + g.backoffNs),
        backoffMs: ms(g.backoffNs),
        examples: g.examples,
      }))
      .sort((a, b) => b.lostMs - a.lostMs || b.count - a.count || cmp(a.provider, b.provider) || cmp(a.model, b.model) || cmp(a.type, b.type))
      .slice(0, top);
  }
}
