// Links the spans of one trace into a forest held in flat index arrays (no per-span objects),
// repairing what real traces get wrong: duplicate span ids, missing parents, parent cycles,
// negative durations. Children are ordered by start time like Jaeger UI orders them.

export interface Linkable {
  spanId: string;
  /** "" for a root. */
  parentId: string;
  start: number;
  end: number;
}

export interface TraceIssues {
  duplicates: number;
  orphans: number;
  cycles: number;
  negativeDurations: number;
  /** Children starting before or ending after their parent by more than the clock tolerance (clock skew or detached work). */
  outsideParent: number;
}

export interface LinkedTrace<T extends Linkable> {
  /** Spans kept (first of each span id), in input order. */
  nodes: T[];
  /** Index of the parent, -1 for a root. */
  parent: Int32Array;
  /** Children of node i are childIdx[childStart[i] .. childStart[i + 1]), sorted by start, then span id. */
  childStart: Int32Array;
  childIdx: Int32Array;
  /** Roots sorted by start, then span id. */
  roots: number[];
  /** Pre-order over every root's tree: a parent always comes before its children. */
  order: Int32Array;
  issues: TraceIssues;
}

export function emptyIssues(): TraceIssues {
  return { duplicates: 0, orphans: 0, cycles: 0, negativeDurations: 0, outsideParent: 0 };
}

/** Clamps negative durations in place (end = start) and links the spans. */
export function linkTrace<T extends Linkable>(input: readonly T[], clockToleranceNs = 0): LinkedTrace<T> {
  const issues = emptyIssues();
  const byId = new Map<string, number>();
  const nodes: T[] = [];
  for (const node of input) {
    if (byId.has(node.spanId)) {
      issues.duplicates++;
      continue;
    }
    if (!(node.end >= node.start)) {
      issues.negativeDurations++;
      node.end = node.start;
    }
    byId.set(node.spanId, nodes.length);
    nodes.push(node);
  }
  const n = nodes.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const parentId = nodes[i]!.parentId;
    if (parentId === "") {
      parent[i] = -1;
      continue;
    }
    const p = byId.get(parentId);
    if (p === undefined) {
      issues.orphans++;
      parent[i] = -1;
    } else parent[i] = p;
  }
  issues.cycles = breakCycles(nodes, parent);

  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childStart[p + 1]!++;
  }
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childIdx = new Int32Array(childStart[n]!);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) roots.push(i);
    else {
      childIdx[fill[p]!++] = i;
      const child = nodes[i]!;
      const par = nodes[p]!;
      if (child.start < par.start - clockToleranceNs || child.end > par.end + clockToleranceNs) issues.outsideParent++;
    }
  }
  // Ties broken by span id, so the order spans arrive in never changes the tree.
  const byStart = (a: number, b: number) => nodes[a]!.start - nodes[b]!.start || idOrder(nodes[a]!, nodes[b]!);
  for (let i = 0; i < n; i++) {
    const from = childStart[i]!;
    const to = childStart[i + 1]!;
    if (to - from > 1) childIdx.subarray(from, to).sort(byStart);
  }
  roots.sort(byStart);
  return { nodes, parent, childStart, childIdx, roots, order: preOrder(n, roots, childStart, childIdx), issues };
}

/** Makes the earliest-starting member of each parent cycle a root; returns the number of cycles. */
function breakCycles(nodes: readonly Linkable[], parent: Int32Array): number {
  const n = nodes.length;
  const state = new Uint8Array(n); // 0 unseen, 1 on the current path, 2 done
  const path: number[] = [];
  let cycles = 0;
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    path.length = 0;
    let j = i;
    while (j !== -1 && state[j] === 0) {
      state[j] = 1;
      path.push(j);
      j = parent[j]!;
    }
    if (j !== -1 && state[j] === 1) {
      cycles++;
      let cut = j;
      for (let k = path.indexOf(j); k < path.length; k++) {
        const m = path[k]!;
        if (nodes[m]!.start < nodes[cut]!.start || (nodes[m]!.start === nodes[cut]!.start && idOrder(nodes[m]!, nodes[cut]!) < 0)) cut = m;
      }
      parent[cut] = -1;
    }
    for (const m of path) state[m] = 2;
  }
  return cycles;
}

const idOrder = (a: Linkable, b: Linkable): number => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);

function preOrder(n: number, roots: readonly number[], childStart: Int32Array, childIdx: Int32Array): Int32Array {
  const order = new Int32Array(n);
  const stack: number[] = [];
  let k = 0;
  for (const root of roots) {
    stack.push(root);
    while (stack.length > 0) {
      const i = stack.pop()!;
      order[k++] = i;
      for (let c = childStart[i + 1]! - 1; c >= childStart[i]!; c--) stack.push(childIdx[c]!);
    }
  }
  return order;
}
