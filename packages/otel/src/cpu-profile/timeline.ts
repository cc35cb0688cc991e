// Joins the chunks of the sampler into one profile: one node tree (same call path → same node)
// and one sample/timestamp sequence, in the `.cpuprofile` shape.
import { redactCallFrame } from "../redaction/redact-call-frame.js";
import type { CpuProfile, CpuProfileNode } from "./types.js";

const IDLE = "(idle)";

export interface FunctionInfo {
  name: string;
  location: string;
}

export class ProfileTimeline {
  readonly nodes: CpuProfileNode[] = [];
  readonly functions: FunctionInfo[] = [];
  #nodeByKey = new Map<string, number>();
  #functionByKey = new Map<string, number>();
  #functionOfNode: number[] = []; // global node id → function index
  #idleNodes = new Set<number>();
  #ownNodes = new Set<number>(); // the profiler's own frames, or anything they call
  #samples = new Int32Array(4096);
  #times = new Float64Array(4096); // V8 monotonic µs
  #length = 0;
  #startTime = Number.NaN;
  #endTime = Number.NaN;
  #lastIdle = false;

  /** `ownUrlPrefix`: the URL of the profiler's own code, whose work no segment is charged for. */
  constructor(
    readonly samplingIntervalUs: number,
    private readonly ownUrlPrefix = "",
  ) {}

  get length(): number {
    return this.#length;
  }

  append(chunk: CpuProfile): void {
    if (Number.isNaN(this.#startTime)) this.#startTime = chunk.startTime;
    this.#endTime = Math.max(Number.isNaN(this.#endTime) ? chunk.endTime : this.#endTime, chunk.endTime);
    const ids = this.#mergeNodes(chunk.nodes);
    // V8 may hand out a few samples slightly out of order (negative timeDeltas); DevTools sorts
    // them by time, and so do we, so the timeline stays monotonic for slicing.
    const order: { time: number; id: number }[] = [];
    let time = chunk.startTime;
    for (let i = 0; i < chunk.samples.length; i++) {
      time += chunk.timeDeltas[i] ?? 0;
      const id = ids.get(chunk.samples[i]!);
      if (id !== undefined) order.push({ time, id });
    }
    order.sort((a, b) => a.time - b.time);
    let lastTime = this.#length > 0 ? this.#times[this.#length - 1]! : -Infinity;
    for (const { time, id } of order) {
      // Consecutive chunks overlap by a few µs: a sample at or before the last one is a repeat.
      if (time <= lastTime) continue;
      const idle = this.#idleNodes.has(id);
      // A run of idle samples keeps only its first: its duration (to the next sample) still
      // spans the whole idle stretch, and an agent waiting on LLMs does not fill memory.
      if (idle && this.#lastIdle) continue;
      this.#lastIdle = idle;
      this.#push(id, time);
      lastTime = time;
    }
  }

  /** Half-open sample index range [first, end) of samples taken within [startUs, endUs]. */
  range(startUs: number, endUs: number): [number, number] {
    return [this.#lowerBound(startUs), this.#upperBound(endUs)];
  }

  isIdle(index: number): boolean {
    return this.#idleNodes.has(this.#samples[index]!);
  }

  /** Whether the sample was taken inside the profiler itself (reading and slicing). */
  isOwn(index: number): boolean {
    return this.#ownNodes.has(this.#samples[index]!);
  }

  functionOf(index: number): number {
    return this.#functionOfNode[this.#samples[index]!]!;
  }

  /** Time from this sample to the next, as speedscope weighs samples; the last one gets one interval. */
  durationUs(index: number): number {
    return index + 1 < this.#length ? this.#times[index + 1]! - this.#times[index]! : this.samplingIntervalUs;
  }

  toCpuProfile(): CpuProfile {
    const samples = Array.from(this.#samples.subarray(0, this.#length));
    const timeDeltas = new Array<number>(this.#length);
    let previous = this.#startTime;
    for (let i = 0; i < this.#length; i++) {
      timeDeltas[i] = this.#times[i]! - previous;
      previous = this.#times[i]!;
    }
    const start = Number.isNaN(this.#startTime) ? 0 : this.#startTime;
    const end = Number.isNaN(this.#endTime) ? start : Math.max(this.#endTime, previous);
    return { nodes: this.nodes, startTime: start, endTime: end, samples, timeDeltas };
  }

  #mergeNodes(chunkNodes: CpuProfileNode[]): Map<number, number> {
    const byId = new Map<number, CpuProfileNode>();
    const hasParent = new Set<number>();
    for (const node of chunkNodes) {
      byId.set(node.id, node);
      for (const child of node.children ?? []) hasParent.add(child);
    }
    const ids = new Map<number, number>();
    const queue: [CpuProfileNode, number][] = [];
    for (const node of chunkNodes) if (!hasParent.has(node.id)) queue.push([node, 0]);
    for (let q = 0; q < queue.length; q++) {
      const [node, parent] = queue[q]!;
      const id = this.#node(node, parent);
      ids.set(node.id, id);
      for (const child of node.children ?? []) {
        const childNode = byId.get(child);
        if (childNode) queue.push([childNode, id]);
      }
    }
    return ids;
  }

  #node(node: CpuProfileNode, parent: number): number {
    const f = node.callFrame;
    const key = `${parent}\0${f.functionName}\0${f.scriptId}\0${f.url}\0${f.lineNumber}\0${f.columnNumber}`;
    let id = this.#nodeByKey.get(key);
    if (id !== undefined) return id;
    id = this.nodes.length + 1;
    this.#nodeByKey.set(key, id);
    const frame = redactCallFrame(f);
    this.nodes.push({ id, callFrame: frame, hitCount: 0, children: [] });
    if (parent > 0) this.nodes[parent - 1]!.children!.push(id);
    this.#functionOfNode[id] = this.#function(frame.functionName, frame.url, f.lineNumber, f.columnNumber);
    if (f.functionName === IDLE) this.#idleNodes.add(id);
    if (this.#ownNodes.has(parent) || (this.ownUrlPrefix !== "" && f.url.startsWith(this.ownUrlPrefix))) this.#ownNodes.add(id);
    return id;
  }

  #function(name: string, url: string, line: number, column: number): number {
    const key = `${name}\0${url}\0${line}\0${column}`;
    let index = this.#functionByKey.get(key);
    if (index !== undefined) return index;
    index = this.functions.length;
    this.#functionByKey.set(key, index);
    const file = url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
    this.functions.push({
      name: name === "" ? "(anonymous)" : name,
      location: file === "" ? "(native)" : line >= 0 ? `${file}:${line + 1}` : file,
    });
    return index;
  }

  #push(id: number, time: number): void {
    if (this.#length === this.#samples.length) {
      const samples = new Int32Array(this.#length * 2);
      samples.set(this.#samples);
      this.#samples = samples;
      const times = new Float64Array(this.#length * 2);
      times.set(this.#times);
      this.#times = times;
    }
    this.#samples[this.#length] = id;
    this.#times[this.#length] = time;
    this.#length++;
    const node = this.nodes[id - 1]!;
    node.hitCount = (node.hitCount ?? 0) + 1;
  }

  #lowerBound(value: number): number {
    let lo = 0;
    let hi = this.#length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#times[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #upperBound(value: number): number {
    let lo = 0;
    let hi = this.#length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#times[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
