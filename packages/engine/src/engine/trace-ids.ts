// The traces the report builder has analysed, in memory bounded by a window instead of by the
// number of traces seen: the last RECENT_TRACES trace ids exactly (with the extent of what was
// analysed of each, so a trace analysed in parts counts its wall time once), the older ones in a
// Bloom filter that can only say "probably seen" (a late span of a trace analysed long ago).
// It also keeps what the report says about traces analysed in parts.

import { splitTracesWarning } from "./warnings.js";

/** Trace ids kept exactly after their trace was analysed (about 150 bytes each). */
export const RECENT_TRACES = 65_536;

/** What was analysed of one trace so far. */
export interface TraceExtent {
  startNs: number;
  endNs: number;
  /** Times the trace was analysed: more than 1 when its spans came in parts. */
  parts: number;
  spans: number;
}

export class AnalysedTraces {
  /** Distinct traces analysed (a trace id back after the recent window counts again: see probablyOld). */
  count = 0;
  private readonly recent = new Map<string, TraceExtent & { slot: number }>();
  // The recent ids in the order they were last analysed, overwritten oldest first. (Deleting a
  // Map's first key each time instead is quadratic in V8: its iterator skips every deleted entry.)
  private readonly ring: (string | undefined)[];
  private next = 0;
  private old: BloomFilter | undefined;
  private splitTraces = 0;
  private laterSpans = 0;
  private splitExample = "";
  private oldTraces = 0;
  private oldExample = "";
  /** The split example's extent when it came from another part of the input (merge). */
  private splitExtent: TraceExtent | undefined;

  constructor(private readonly capacity = RECENT_TRACES) {
    this.ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Trace ids kept exactly: at most the capacity. */
  get size(): number {
    return this.recent.size;
  }

  /** The trace's earlier parts, when it was analysed recently. */
  earlier(traceId: string): TraceExtent | undefined {
    return this.recent.get(traceId);
  }

  /** What the report says about traces in parts and trace ids back after the window. */
  warnings(maxPending: number): string[] {
    const out: string[] = [];
    if (this.splitTraces > 0)
      out.push(splitTracesWarning(this.splitTraces, this.laterSpans, maxPending, this.splitExample, this.recent.get(this.splitExample) ?? this.splitExtent));
    if (this.oldTraces > 0) {
      out.push(
        `${this.oldTraces} trace id(s) came back after more than ${this.capacity} other traces were analysed, probably late spans of a trace analysed long before (a filter that is rarely wrong tells): counted as trace(s) of their own (e.g. trace ${this.oldExample})`,
      );
    }
    return out;
  }

  /** Ids analysed recently: a later part of the input that has one of them holds a trace analysed in parts. */
  recentIds(): string[] {
    return [...this.recent.keys()];
  }

  state() {
    const { count, splitTraces, laterSpans, splitExample, oldTraces, oldExample } = this;
    return { count, splitTraces, laterSpans, splitExample, splitExtent: this.recent.get(splitExample) ?? this.splitExtent, oldTraces, oldExample };
  }

  /** Folds in the counts of a later part of the input, whose traces are not this part's. */
  merge(s: ReturnType<AnalysedTraces["state"]>): void {
    this.count += s.count;
    this.laterSpans += s.laterSpans;
    if (this.splitTraces === 0 && s.splitTraces > 0) [this.splitExample, this.splitExtent] = [s.splitExample, s.splitExtent];
    this.splitTraces += s.splitTraces;
    if (this.oldTraces === 0) this.oldExample = s.oldExample;
    this.oldTraces += s.oldTraces;
  }

  /** Whether the trace was probably analysed before the recent window (false alarms are rare, misses impossible). */
  probablyOld(traceId: string): boolean {
    return this.old?.has(traceId) ?? false;
  }

  /**
   * Records one analysed part of a trace; returns the trace's extent over every part so far.
   * `earlier`: its extent when the part's first span came; `old`: probablyOld() said so then.
   */
  add(
    traceId: string,
    part: { startNs: number; endNs: number; spans: number },
    earlier: TraceExtent | undefined = this.recent.get(traceId),
    old = false,
  ): TraceExtent {
    if (earlier === undefined) this.count++;
    else {
      this.laterSpans += part.spans;
      if (earlier.parts === 1 && this.splitTraces++ === 0) this.splitExample = traceId;
    }
    if (old && this.oldTraces++ === 0) this.oldExample = traceId;
    const slot = this.next;
    this.next = (slot + 1) % this.capacity;
    const extent = {
      startNs: Math.min(earlier?.startNs ?? Infinity, part.startNs),
      endNs: Math.max(earlier?.endNs ?? -Infinity, part.endNs),
      parts: (earlier?.parts ?? 0) + 1,
      spans: (earlier?.spans ?? 0) + part.spans,
      slot,
    };
    const oldest = this.ring[slot];
    // The slot's id leaves the window unless it was analysed again since (then it has a newer slot).
    if (oldest !== undefined && this.recent.get(oldest)?.slot === slot) {
      this.recent.delete(oldest);
      (this.old ??= new BloomFilter()).add(oldest);
    }
    this.ring[slot] = traceId;
    this.recent.set(traceId, extent);
    return extent;
  }
}

/**
 * A fixed 16 MiB Bloom filter (2^27 bits, 7 hashes): under one false alarm in a billion lookups
 * after a million traces, about 1 in 500 after ten million. Written here rather than taken from
 * a package: the engine has no runtime dependency but the price data, and this is 20 lines.
 */
class BloomFilter {
  private static readonly BITS = 2 ** 27;
  private static readonly HASHES = 7;
  private readonly words = new Uint32Array(BloomFilter.BITS / 32);

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < BloomFilter.HASHES; i++) {
      const bit = (h1 + i * h2) % BloomFilter.BITS;
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  has(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < BloomFilter.HASHES; i++) {
      const bit = (h1 + i * h2) % BloomFilter.BITS;
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two independent 32-bit FNV-1a hashes of the key (double hashing derives the rest). */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return [a >>> 0, (b | 1) >>> 0];
}
