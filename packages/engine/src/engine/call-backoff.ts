// The client's wait after a failed LLM call: until its retry — the next call of the same provider
// and model under the same parent span — capped at the retry-after the provider asked for (plus
// jitter), else a minute. Clients retry only some failures (rate limits, overload, 408/409,
// 5xx, lost connections); after any other error the next call is the app's next step, no wait.

import { isRateLimited, type CallInsight } from "./call-insight.js";
import { RATE_LIMIT_MAX_WAIT_MS, RATE_LIMIT_WAIT_SLACK_MS } from "./constants.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

/** Error types of a call that got no answer: the connection failed or timed out (undici, Node, the SDKs' own names). */
const NO_ANSWER_TYPE = /conn|socket|reset|timeout|timed.?out|abort|epipe|eai_again|enotfound|und_err|network|fetch failed/i;

/** A failed call the openai, Anthropic and AI SDK clients retry by default. */
export function isRetried(c: CallInsight): boolean {
  const s = c.httpStatus;
  return isRateLimited(c) || s === 408 || s === 409 || s >= 500 || (s === 0 && NO_ANSWER_TYPE.test(c.errorType));
}

/** Longest wait that still counts as the client's backoff after `call`, in ns. */
export function backoffCapNs(call: CallInsight): number {
  return (call.retryAfterMs >= 0 ? call.retryAfterMs + RATE_LIMIT_WAIT_SLACK_MS : RATE_LIMIT_MAX_WAIT_MS) * 1e6;
}

/** The LLM calls of a trace by parent, provider and model, each list by start: built once per trace. */
const callsBySibling = new WeakMap<TraceFacts, Map<string, { start: number; index: number }[]>>();

function siblingsOf(f: TraceFacts): Map<string, { start: number; index: number }[]> {
  let groups = callsBySibling.get(f);
  if (groups !== undefined) return groups;
  groups = new Map();
  const { nodes, parent } = f.trace;
  for (let j = 0; j < nodes.length; j++) {
    const node = nodes[j]!;
    if (node.role !== Role.Llm) continue;
    const key = `${parent[j]}\u0000${node.llm!.provider}\u0000${node.llm!.model}`;
    let list = groups.get(key);
    if (list === undefined) groups.set(key, (list = []));
    list.push({ start: node.start, index: j });
  }
  for (const list of groups.values()) list.sort((a, b) => a.start - b.start);
  callsBySibling.set(f, groups);
  return groups;
}

/** Start of the next call of the same provider and model under the same parent after the call at node `i` ends; undefined when none. */
export function nextSiblingStart(f: TraceFacts, i: number): number | undefined {
  const { nodes, parent } = f.trace;
  const node = nodes[i]!;
  const list = siblingsOf(f).get(`${parent[i]}\u0000${node.llm!.provider}\u0000${node.llm!.model}`)!;
  // The first sibling starting at or after the call's end (less 1 ms of clock skew), not itself.
  const from = node.end - 1e6;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  while (lo < list.length && list[lo]!.index === i) lo++;
  return lo < list.length ? list[lo]!.start : undefined;
}

/** End of the backoff after the failed call at node `i` (its end when no retry followed within the cap). */
export function backoffEnd(f: TraceFacts, i: number): number {
  const node = f.trace.nodes[i]!;
  const next = nextSiblingStart(f, i);
  if (next === undefined) return node.end;
  return Math.max(node.end, Math.min(next, node.end + backoffCapNs(node.call!)));
}
