// The `retries` finding of LLM calls the client retried after an error that is no rate limit (a
// 5xx, 408, 409, a lost connection): by provider and model, the failed calls' time plus the
// backoff before each retry, naming the errors. Rate limits are the `rate-limits` finding's; a
// step run again after an error is retries.ts's.

import { backoffCapNs, backoffEnd, isRetried, nextSiblingStart } from "../call-backoff.js";
import { isRateLimited } from "../call-insight.js";
import { EXAMPLE_TRACES } from "../constants.js";
import type { ConversationCall } from "../conversations.js";
import { isFailedCall } from "../failed-call.js";
import { errorLabel } from "../llm-errors.js";
import { Keyed } from "../keyed.js";
import { addUsd, cmp, ms, usd, usdOf, usdSum, type UsdSum } from "../numbers.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { mergeValue } from "../merge-state.js";
import { addExample, type AdvisorContext, type Draft, type Example } from "./types.js";

interface Group {
  provider: string;
  model: string;
  retried: number;
  lostNs: number;
  backoffNs: number;
  costUsd: UsdSum;
  errors: Map<string, number>;
  examples: Example[];
}

const retriedError = (error: boolean, c: Parameters<typeof isRetried>[0]) => isFailedCall(error, c) && isRetried(c) && !isRateLimited(c);

export class CallRetries {
  private readonly groups = new Keyed<Group>();

  constructor(private readonly ctx: AdvisorContext) {}

  private add(provider: string, model: string, label: string, callNs: number, waitNs: number, costUsd: number, traceId: string, spanId: string): void {
    let g = this.groups.get(provider, model);
    if (g === undefined)
      this.groups.set(provider, model, (g = { provider, model, retried: 0, lostNs: 0, backoffNs: 0, costUsd: usdSum(), errors: new Map(), examples: [] }));
    g.retried++;
    g.lostNs += callNs + waitNs;
    g.backoffNs += waitNs;
    addUsd(g.costUsd, costUsd);
    g.errors.set(label, (g.errors.get(label) ?? 0) + 1);
    addExample(g.examples, traceId, spanId, EXAMPLE_TRACES);
  }

  addTrace(f: TraceFacts): void {
    const nodes = f.trace.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.role !== Role.Llm || node.call === undefined || !retriedError(node.error, node.call)) continue;
      const next = nextSiblingStart(f, i);
      // Retried: the same call again under the same parent within the backoff cap.
      if (next === undefined || next - node.end > backoffCapNs(node.call)) continue;
      const llm = node.llm!;
      this.add(
        llm.provider,
        llm.model,
        errorLabel(node.call),
        node.end - node.start,
        backoffEnd(f, i) - node.end,
        this.ctx.llm.costOf(node),
        f.traceId,
        node.spanId,
      );
    }
  }

  state(): unknown {
    return this.groups;
  }

  merge(state: unknown): void {
    mergeValue(this.groups, state);
  }

  /** Failed one-call traces retried by the next call of their conversation. */
  addConversations(conversations: readonly (readonly ConversationCall[])[]): void {
    for (const conversation of conversations) {
      for (let k = 0; k + 1 < conversation.length; k++) {
        const a = conversation[k]!;
        if (!retriedError(a.error, a.call)) continue;
        const wait = conversation[k + 1]!.start - a.end;
        if (wait > backoffCapNs(a.call)) continue;
        this.add(a.provider, a.model, errorLabel(a.call), a.end - a.start, Math.max(0, wait), a.costUsd, a.traceId, a.spanId);
      }
    }
  }

  findings(): Draft[] {
    return [...this.groups.values()].map((g) => {
      const errors = [...g.errors].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
      const named = errors.map(([type, n]) => `${type} ×${n}`).join(", ");
      return {
        kind: "retries" as const,
        target: `${g.provider} ${g.model}`,
        estimatedSavingMs: ms(g.lostNs),
        estimatedSavingUsd: usd(usdOf(g.costUsd)),
        evidence: `${g.retried} call(s) failed and the client retried them (${named}); ${ms(g.backoffNs)} ms of backoff before the retries, ${ms(g.lostNs - g.backoffNs)} ms in the failed calls`,
        cause: `${g.provider} answered ${g.model} with ${named} and the client sent the call again`,
        fix:
          `fall back to another deployment, region or model on ${errors[0]![0]} instead of retrying the same one, keep the client's backoff short for it, ` +
          "and set a request timeout so a hung call fails fast",
        examples: g.examples,
      };
    });
  }
}
