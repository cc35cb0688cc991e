import type { Linkable, LinkedTrace } from "./link-trace.js";

/**
 * Self time of every span as Jaeger UI computes it: the span's duration minus the union of its
 * children's intervals clamped to the span, so parallel children are not subtracted twice.
 */
export function selfTimes(trace: LinkedTrace<Linkable>): Float64Array {
  const { nodes, childStart, childIdx } = trace;
  const self = new Float64Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const { start, end } = nodes[i]!;
    let covered = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let c = childStart[i]!; c < childStart[i + 1]!; c++) {
      const child = nodes[childIdx[c]!]!;
      const s = Math.max(child.start, start);
      const e = Math.min(child.end, end);
      if (e <= s) continue;
      if (s > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = s;
        runEnd = e;
      } else if (e > runEnd) runEnd = e;
    }
    if (runEnd > runStart) covered += runEnd - runStart;
    self[i] = end - start - covered;
  }
  return self;
}
