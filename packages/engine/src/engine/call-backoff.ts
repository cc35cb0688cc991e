// The client's wait after a failed LLM call: until its retry — the next call of the same provider
// and model under the same parent span — capped at the retry-after the provider asked for (plus
// jitter), else a minute. Clients retry only some failures (rate limits, overload, 408/409,
// 5xx, lost connections); after any other error the next call is the app's next step, no wait.

import { isRateLimited, type CallInsight } from "./call-insight.js";
import { RATE_LIMIT_MAX_WAIT_MS, RATE_LIMIT_WAIT_SLACK_MS } from "./constants.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

/** A failed call the openai, Anthropic and AI SDK clients retry by default. */
export function isRetried(c: CallInsight): boolean {
  const s = c.httpStatus;
  return isRateLimited(c) || s === 408 || s === 409 || s >= 500 || s === 0;
}

/** Longest wait that still counts as the client's backoff after `call`, in ns. */
export function backoffCapNs(call: CallInsight): number {
  return (call.retryAfterMs >= 0 ? call.retryAfterMs + RATE_LIMIT_WAIT_SLACK_MS : RATE_LIMIT_MAX_WAIT_MS) * 1e6;
}

/** End of the backoff after the failed call at node `i` (its end when no retry followed within the cap). */
export function backoffEnd(f: TraceFacts, i: number): number {
  const { nodes, parent } = f.trace;
  const node = nodes[i]!;
  let next = Infinity;
  for (let j = 0; j < nodes.length; j++) {
    const other = nodes[j]!;
    if (j === i || other.role !== Role.Llm || parent[j] !== parent[i] || other.start < node.end - 1e6) continue;
    if (other.llm!.provider !== node.llm!.provider || other.llm!.model !== node.llm!.model) continue;
    if (other.start < next) next = other.start;
  }
  const waitEnd = next === Infinity ? node.end : Math.min(next, node.end + backoffCapNs(node.call!));
  return Math.max(node.end, waitEnd);
}
