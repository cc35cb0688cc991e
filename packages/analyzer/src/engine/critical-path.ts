import type { Linkable, LinkedTrace } from "./link-trace.js";

/**
 * Time each span spends on the critical path, with jaeger-ui's semantics
 * (components/TracePage/CriticalPath): children are first sanitised against their (already
 * sanitised) parent — truncated when they overflow it, dropped with their subtree when they lie
 * wholly outside it — then from each root the walk descends into the last-finishing child,
 * and on the way back picks the child that finished last before the returning child started.
 * Iterative, and linear apart from sorting, so a trace of 100,000 spans is no problem.
 * Every root's tree is tiled exactly: the sum over a root's tree is the root's duration.
 */
export function criticalTimes(trace: LinkedTrace<Linkable>): Float64Array {
  const { nodes, parent, childStart, childIdx, roots, order } = trace;
  const n = nodes.length;
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const dropped = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const { start: s, end: e } = nodes[i]!;
    const p = parent[i]!;
    if (p < 0) {
      cs[i] = s;
      ce[i] = e;
      continue;
    }
    if (dropped[p]) {
      dropped[i] = 1;
      continue;
    }
    const ps = cs[p]!;
    const pe = ce[p]!;
    if (s >= ps) {
      if (s >= pe) dropped[i] = 1;
      else {
        cs[i] = s;
        ce[i] = e > pe ? pe : e;
      }
    } else if (e <= ps) dropped[i] = 1;
    else {
      cs[i] = ps;
      ce[i] = e <= pe ? e : pe;
    }
  }

  // Children of each span by sanitised end, latest first; ties keep start order, as the
  // strict ">" in jaeger-ui's findLastFinishingChildSpan keeps the first one.
  const byEnd = childIdx.slice();
  const position = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let c = childStart[i]!; c < childStart[i + 1]!; c++) position[childIdx[c]!] = c;
  }
  const latestFirst = (a: number, b: number) => ce[b]! - ce[a]! || position[a]! - position[b]!;
  for (let i = 0; i < n; i++) {
    const from = childStart[i]!;
    const to = childStart[i + 1]!;
    if (to - from > 1) byEnd.subarray(from, to).sort(latestFirst);
  }

  // The bound a returning child sets only ever decreases for a given span, so one cursor per
  // span over its latest-first children finds each next candidate without rescanning.
  const cursor = childStart.slice(0, n);
  const crit = new Float64Array(n);
  for (const root of roots) {
    let cur = root;
    let returning = Number.NaN;
    for (;;) {
      const hasBound = !Number.isNaN(returning);
      const to = childStart[cur + 1]!;
      let c = cursor[cur]!;
      while (c < to && (dropped[byEnd[c]!] || (hasBound && ce[byEnd[c]!]! >= returning))) c++;
      cursor[cur] = c;
      const sectionEnd = hasBound ? returning : ce[cur]!;
      if (c < to) {
        const lfc = byEnd[c]!;
        crit[cur]! += sectionEnd - ce[lfc]!;
        cur = lfc;
        returning = Number.NaN;
      } else {
        crit[cur]! += sectionEnd - cs[cur]!;
        if (cur === root) break;
        returning = cs[cur]!;
        cur = parent[cur]!;
      }
    }
  }
  return crit;
}
