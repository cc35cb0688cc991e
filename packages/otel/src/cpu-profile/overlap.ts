// Tells whether a segment ran at the same time as another segment that is neither its ancestor
// nor its descendant (concurrent work): on one thread their samples cannot be told apart.

interface Tracked {
  startUs: number;
  endUs: number; // Infinity while open
  parent: string | undefined;
}

const MAX_ENDED = 2_000;
const MAX_TRACKED = 50_000; // spans that never end must not grow this without bound

export class OverlapTracker {
  #spans = new Map<string, Tracked>();
  #ended: string[] = [];

  start(spanId: string, parent: string | undefined, startUs: number): void {
    this.#spans.set(spanId, { startUs, endUs: Infinity, parent });
    if (this.#spans.size > MAX_TRACKED) this.#spans.delete(this.#spans.keys().next().value!);
  }

  /** Records the end and returns whether the span overlapped an unrelated one. */
  end(spanId: string, parent: string | undefined, startUs: number, endUs: number): boolean {
    const self: Tracked = this.#spans.get(spanId) ?? { startUs, endUs, parent };
    self.endUs = endUs;
    this.#spans.set(spanId, self);
    let overlapping = false;
    for (const [otherId, other] of this.#spans) {
      if (otherId === spanId || other.startUs >= endUs || other.endUs <= startUs) continue;
      if (this.#isAncestor(otherId, spanId) || this.#isAncestor(spanId, otherId)) continue;
      overlapping = true;
      break;
    }
    this.#ended.push(spanId);
    this.#prune();
    return overlapping;
  }

  #isAncestor(ancestor: string, spanId: string): boolean {
    let current = this.#spans.get(spanId)?.parent;
    for (let depth = 0; current !== undefined && depth < 1000; depth++) {
      if (current === ancestor) return true;
      current = this.#spans.get(current)?.parent;
    }
    return false;
  }

  // An ended span matters only while some open span started before it ended.
  #prune(): void {
    let earliestOpen = Infinity;
    for (const tracked of this.#spans.values()) {
      if (tracked.endUs === Infinity && tracked.startUs < earliestOpen) earliestOpen = tracked.startUs;
    }
    const keep: string[] = [];
    for (const id of this.#ended) {
      const tracked = this.#spans.get(id);
      if (tracked && tracked.endUs > earliestOpen) keep.push(id);
      else this.#spans.delete(id);
    }
    while (keep.length > MAX_ENDED) this.#spans.delete(keep.shift()!);
    this.#ended = keep;
  }
}
