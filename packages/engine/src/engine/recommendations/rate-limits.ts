// rate-limits: LLM calls the provider refused (429, 529, 503, overloaded), by provider and
// model: the attempts lost, and the time of the refused calls plus the backoff before each retry
// (in the trace, or in the next trace of the conversation when the app opens no root span).

import { EXAMPLE_TRACES } from "../constants.js";
import { Keyed } from "../keyed.js";
import { addUsd, ms, usd, usdOf, usdSum, type UsdSum } from "../numbers.js";
import { backoffCapNs } from "../call-backoff.js";
import { isRateLimited } from "../call-insight.js";
import { rateLimitWaits } from "../rate-limit-waits.js";
import { Role } from "../span-node.js";
import type { TraceFacts } from "../trace-facts.js";
import { mergeValue } from "../merge-state.js";
import { addExample, type Advisor, type AdvisorContext, type Draft, type Example, type FinishContext } from "./types.js";

interface Group {
  provider: string;
  model: string;
  calls: number;
  refused: number;
  lostNs: number;
  waitNs: number;
  costUsd: UsdSum;
  retryAfterMs: number[];
  errors: Map<string, number>;
  examples: Example[];
}

export class RateLimitsAdvisor implements Advisor {
  private readonly groups = new Keyed<Group>();

  constructor(private readonly ctx: AdvisorContext) {}

  private group(provider: string, model: string): Group {
    let g = this.groups.get(provider, model);
    if (g === undefined) {
      g = { provider, model, calls: 0, refused: 0, lostNs: 0, waitNs: 0, costUsd: usdSum(), retryAfterMs: [], errors: new Map(), examples: [] };
      this.groups.set(provider, model, g);
    }
    return g;
  }

  addTrace(f: TraceFacts): void {
    const waits = rateLimitWaits(f);
    if (waits.length === 0) return;
    const nodes = f.trace.nodes;
    for (const node of nodes) if (node.role === Role.Llm) this.group(node.llm!.provider, node.llm!.model).calls++;
    for (const w of waits) {
      const node = nodes[w.index]!;
      const call = node.call!;
      const g = this.group(node.llm!.provider, node.llm!.model);
      g.refused++;
      g.waitNs += w.waitEnd - w.waitStart;
      g.lostNs += node.end - node.start + (w.waitEnd - w.waitStart);
      addUsd(g.costUsd, this.ctx.llm.costOf(node));
      if (call.retryAfterMs >= 0 && g.retryAfterMs.length < 1000) g.retryAfterMs.push(call.retryAfterMs);
      const type = call.errorType || (call.httpStatus > 0 ? String(call.httpStatus) : "rate limited");
      g.errors.set(type, (g.errors.get(type) ?? 0) + 1);
      addExample(g.examples, f.traceId, node.spanId, EXAMPLE_TRACES);
    }
  }

  state(): unknown {
    return this.groups;
  }

  merge(state: unknown): void {
    mergeValue(this.groups, state, { caps: { retryAfterMs: 1000 } }, "");
  }

  /** The backoff after a refused one-call trace, until the next call of its conversation. */
  private addConversations(done: FinishContext): void {
    for (const conversation of done.conversations) {
      let refused = 0;
      for (let k = 0; k < conversation.length; k++) {
        const a = conversation[k]!;
        if (!isRateLimited(a.call)) continue;
        refused++;
        const next = conversation[k + 1];
        if (next === undefined) continue;
        const wait = Math.min(next.start - a.end, backoffCapNs(a.call));
        if (wait <= 0) continue;
        const g = this.group(a.provider, a.model);
        g.waitNs += wait;
        g.lostNs += wait;
      }
      // Each refused trace counted only its own call: add the conversation's others.
      if (refused > 0) for (const c of conversation) if (!isRateLimited(c.call)) this.group(c.provider, c.model).calls++;
    }
  }

  findings(done: FinishContext): Draft[] {
    this.addConversations(done);
    const out: Draft[] = [];
    for (const g of this.groups.values()) {
      if (g.refused === 0) continue;
      const errors = [...g.errors].map(([type, n]) => `${type} ×${n}`).join(", ");
      const hint = g.retryAfterMs.length > 0 ? `, retry-after ${Math.min(...g.retryAfterMs)}–${Math.max(...g.retryAfterMs)} ms` : "";
      out.push({
        kind: "rate-limits",
        target: `${g.provider} ${g.model}`,
        estimatedSavingMs: ms(g.lostNs),
        estimatedSavingUsd: usd(usdOf(g.costUsd)),
        evidence: `${g.refused} of ${g.calls} call(s) refused (${errors}${hint}); ${ms(g.waitNs)} ms of backoff before the retries, ${ms(g.lostNs - g.waitNs)} ms in the refused calls`,
        cause: `${g.provider} refused ${g.refused} call(s) to ${g.model} as over its rate limit (${errors}) and the client waited before retrying`,
        fix:
          "cap the calls in flight to the provider's limit (a queue or semaphore in front of the client), keep the client's backoff honouring retry-after, " +
          "and ask for a higher rate-limit tier or fall back to another model or deployment on 429",
        examples: g.examples,
      });
    }
    return out;
  }
}
