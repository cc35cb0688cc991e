import type { Linkable, LinkedTrace } from "./link-trace.js";

/**
 * Time each span spends on the critical path, with jaeger-ui's semantics
 * (components/TracePage/CriticalPath): children are first sanitised against their (already
 * sanitised) parent — truncated when they overflow it, dropped with their subtree when they lie
 * wholly outside it — then from each root the walk descends into the last-finishing child,
 * and on the way back picks the child that finished last before the returning child started.
 * Iterative, and linear apart from sorting, so a trace of 100,000 spans is no problem.
 *
 * `toleranceNs` (0 = exactly jaeger-ui) lets the walk back take a sibling that ends up to that
 * much after the returning child started, its section cut at that start. OpenTelemetry JS takes
 * span start times from Date.now() (whole milliseconds) and end times from start + a precise
 * duration, so back-to-back steps overlap by up to 1 ms; without the tolerance the earlier one is
 * passed over and its whole duration lands on the parent's self time.
 * Every root's tree is tiled exactly: the sum over a root's tree is the root's duration.
 */
export function criticalTimes(trace: LinkedTrace<Linkable>, toleranceNs = 0): Float64Array {
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
        ce[i] = Math.min(e, pe);
      }
    } else if (e <= ps) dropped[i] = 1;
    else {
      cs[i] = ps;
      ce[i] = Math.min(e, pe);
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

  // Walking back, `frontier` is the time up to which the path is already assigned; it only
  // decreases, so one cursor per span over its latest-first children finds each next candidate
  // without rescanning, and sections never overlap: each root's tree is tiled exactly.
  const cursor = childStart.slice(0, n);
  const crit = new Float64Array(n);
  for (const root of roots) {
    let cur = root;
    let frontier = ce[root]!;
    let returning = false;
    for (;;) {
      const to = childStart[cur + 1]!;
      let c = cursor[cur]!;
      // jaeger-ui: on the way down the last-finishing child; on the way back the child that
      // finished (strictly) before the returning one started — within the clock tolerance.
      while (c < to && (dropped[byEnd[c]!] || (returning && !(ce[byEnd[c]!]! < frontier + toleranceNs)))) c++;
      if (c < to) {
        const lfc = byEnd[c]!;
        cursor[cur] = c + 1;
        const end = Math.min(ce[lfc]!, frontier);
        crit[cur]! += frontier - end;
        frontier = end;
        cur = lfc;
        returning = false;
      } else {
        cursor[cur] = c;
        const start = Math.min(cs[cur]!, frontier);
        crit[cur]! += frontier - start;
        frontier = start;
        if (cur === root) break;
        cur = parent[cur]!;
        returning = true;
      }
    }
  }
  return crit;
}
