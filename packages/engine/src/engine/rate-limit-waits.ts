// Time lost to refused LLM calls (429, 529, 503, overloaded): the refused call itself and the
// backoff until the client's retry (call-backoff.ts).

import { backoffEnd } from "./call-backoff.js";
import { isRateLimited } from "./call-insight.js";
import { unionLength } from "./numbers.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

export interface RateLimitWait {
  /** The refused call's node index. */
  index: number;
  /** Backoff interval after it ([end of the call, start of the retry]); empty when no retry followed. */
  waitStart: number;
  waitEnd: number;
}

export function rateLimitWaits(f: TraceFacts): RateLimitWait[] {
  const { nodes } = f.trace;
  let out: RateLimitWait[] | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.role !== Role.Llm || node.call === undefined || !isRateLimited(node.call)) continue;
    (out ??= []).push({ index: i, waitStart: node.end, waitEnd: backoffEnd(f, i) });
  }
  return out ?? [];
}

/** The part of the trace's backoff waits outside every LLM and tool span (what "other" would otherwise hold). */
export function waitsOutsideWorkNs(f: TraceFacts, waits: readonly RateLimitWait[]): number {
  if (waits.length === 0) return 0;
  const { nodes } = f.trace;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const role = nodes[i]!.role;
    if (role !== Role.Llm && !(role === Role.Tool && !f.inLlm[i])) continue;
    starts.push(nodes[i]!.start);
    ends.push(nodes[i]!.end);
  }
  for (const w of waits) {
    if (w.waitEnd <= w.waitStart) continue;
    starts.push(w.waitStart);
    ends.push(w.waitEnd);
  }
  return Math.max(0, unionLength(Float64Array.from(starts), Float64Array.from(ends)) - f.llmOrToolUnionNs);
}
