// A roll-up (Mastra's per-run model_generation span) sums the usage of the requests below it.
// When a request below recorded its own usage (Mastra's raw response body, or our llm_call
// inside it), the requests are the calls and the roll-up is none. When none did (a stream
// without our capture), the roll-up is the one record of their usage: it stays, standing for as
// many calls as there are requests below it, which fold into it (merge-calls.ts).

import type { LinkedTrace } from "./link-trace.js";
import { Frame, Role, TOKEN_USAGE, type SpanNode } from "./span-node.js";

const isRollup = (node: SpanNode) => node.role === Role.Llm && node.llm!.rollup === true;

export function resolveRollups(trace: LinkedTrace<SpanNode>): void {
  const { nodes, parent, order } = trace;
  if (!nodes.some(isRollup)) return;
  // Per span: the nearest roll-up above it, and whether an inference span lies in between.
  const above = new Int32Array(nodes.length).fill(-1);
  const inCall = new Uint8Array(nodes.length);
  const requests = new Map<number, { count: number; withUsage: boolean }>();
  for (const i of order) {
    const p = parent[i]!;
    if (p >= 0) {
      above[i] = isRollup(nodes[p]!) ? p : above[p]!;
      inCall[i] = isRollup(nodes[p]!) ? 0 : inCall[p]! | (nodes[p]!.role === Role.Llm ? 1 : 0);
    }
    const node = nodes[i]!;
    const up = above[i]!;
    // A request folded as another trace's call (cross-trace-merge.ts) was recorded there, with its usage.
    if (up >= 0 && node.role === Role.MergedLlm) requests.set(up, { count: requests.get(up)?.count ?? 0, withUsage: true });
    if (up < 0 || node.role !== Role.Llm) continue;
    let r = requests.get(up);
    if (r === undefined) requests.set(up, (r = { count: 0, withUsage: false }));
    // Our llm_call inside Mastra's step is the step's request, not another one.
    if (inCall[i] === 0) r.count++;
    if ((node.llm!.recorded & TOKEN_USAGE) === TOKEN_USAGE) r.withUsage = true;
  }
  for (const [i, r] of requests) {
    const rollup = nodes[i]!;
    if (r.withUsage) {
      rollup.role = Role.Other;
      rollup.frame = Frame.None;
      rollup.llm = undefined;
      rollup.call = undefined;
    } else if (r.count > 1) rollup.llm = { ...rollup.llm!, requests: r.count };
  }
}
