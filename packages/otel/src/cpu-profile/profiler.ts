// The CPU profiler: one V8 sampling profile for its whole lifetime, sliced by the time window
// of every INTERNAL span (profiling segments, steps, tools, workflows).
//
// How a slice reaches the span: samples only leave V8 when a chunk ends, so when a segment
// ends we end the running chunk (the next one is already sampling, see sampler.ts; ~0.3 ms),
// slice the window and write the result onto the span object inside onEnd, before any batch
// exporter reads it. Segments ending less than minReadIntervalMs after the previous read are
// resolved together by one read at the next timer/flush/stop, which bounds the cost when
// thousands of tiny segments end; their results then reach exporters that have not yet sent
// them (a batch processor waits 5 s by default; forceFlush reads first, as the fan-out
// processor runs before the exporters).
import { SpanKind, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { hrTimeToProfileUs, readProfileClock, type ProfileClock } from "./clock.js";
import { sliceWindow } from "./hotspots.js";
import { OverlapTracker } from "./overlap.js";
import { DEFAULT_PROFILE_DIR, profilePath, writeProfileFile } from "./profile-file.js";
import { ChunkedSampler } from "./sampler.js";
import { attachHotspots } from "./span-attributes.js";
import { ProfileTimeline } from "./timeline.js";
import type { CpuHotspots, CpuProfile, CpuProfilerOptions } from "./types.js";
import { positiveFromEnv, warnOnce } from "./warn.js";

const MAX_RESULTS = 10_000;

interface Pending {
  span: ReadableSpan;
  overlapping: boolean;
}

export class CpuProfiler implements SpanProcessor {
  /** The file being written now; a new one is started every maxSamplesPerFile samples. */
  path: string;
  readonly samplingIntervalUs: number;
  readonly #top: number;
  readonly #minReadIntervalMs: number;
  readonly #sampler: ChunkedSampler;
  #timeline: ProfileTimeline;
  readonly #maxSamplesPerFile: number;
  readonly #basePath: string;
  #files = 1;
  readonly #clock: ProfileClock;
  readonly #overlap = new OverlapTracker();
  readonly #results = new Map<string, CpuHotspots>();
  #pending: Pending[] = [];
  #lastReadMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = true;

  constructor(options: CpuProfilerOptions = {}) {
    this.samplingIntervalUs = Math.max(
      50,
      Math.round(options.samplingIntervalUs ?? positiveFromEnv("JOTTY_CPU_PROFILE_INTERVAL_US") ?? 1000),
    );
    this.#top = options.topFunctions ?? 10;
    this.#minReadIntervalMs = options.minReadIntervalMs ?? 100;
    const dir = options.dir ?? (process.env.JOTTY_CPU_PROFILE_DIR || DEFAULT_PROFILE_DIR);
    const service = options.serviceName ?? (process.env.OTEL_SERVICE_NAME || "unknown_service");
    this.path = this.#basePath = profilePath(dir, service, new Date());
    this.#maxSamplesPerFile = options.maxSamplesPerFile ?? 2_000_000;
    this.#timeline = new ProfileTimeline(this.samplingIntervalUs);
    this.#sampler = new ChunkedSampler(this.samplingIntervalUs);
    this.#clock = readProfileClock();
    this.#sampler.start();
    this.#lastReadMs = performance.now();
  }

  get running(): boolean {
    return this.#running;
  }

  onStart(span: Span, _parentContext: Context): void {
    if (!this.#running || span.kind !== SpanKind.INTERNAL) return;
    const id = span.spanContext().spanId;
    this.#overlap.start(id, span.parentSpanContext?.spanId, hrTimeToProfileUs(this.#clock, span.startTime));
  }

  onEnd(span: ReadableSpan): void {
    if (!this.#running || span.kind !== SpanKind.INTERNAL) return;
    try {
      const overlapping = this.#overlap.end(
        span.spanContext().spanId,
        span.parentSpanContext?.spanId,
        hrTimeToProfileUs(this.#clock, span.startTime),
        hrTimeToProfileUs(this.#clock, span.endTime),
      );
      this.#pending.push({ span, overlapping });
      if (performance.now() - this.#lastReadMs >= this.#minReadIntervalMs) this.#safeRead();
      else this.#scheduleRead();
    } catch (error) {
      // Profiling must never break the app's span.end().
      warnOnce(`could not slice the profile: ${(error as Error).message}`);
    }
  }

  /** Reads the samples taken so far and resolves every ended segment waiting for them. */
  read(): void {
    if (!this.#running) return;
    const chunk = this.#sampler.read();
    if (chunk) this.#timeline.append(chunk);
    this.#lastReadMs = performance.now();
    this.#resolvePending();
    if (this.#timeline.length >= this.#maxSamplesPerFile) this.#rotate();
  }

  async forceFlush(): Promise<void> {
    this.#safeRead();
    if (this.#timeline.length > 0) this.writeFile();
  }

  /** The SDK fan-out does not shut attached processors down; stop() is the owner's call. */
  async shutdown(): Promise<void> {
    this.stop();
  }

  /** Ends sampling, resolves the waiting segments and writes the file. Returns its path. */
  stop(): string {
    if (!this.#running) return this.path;
    try {
      const last = this.#sampler.stop();
      if (last) this.#timeline.append(last);
      this.#resolvePending();
    } catch (error) {
      warnOnce(`could not read the profile: ${(error as Error).message}`);
    }
    this.#running = false;
    clearTimeout(this.#timer);
    this.writeFile();
    return this.path;
  }

  /** The slice of an ended INTERNAL span; reads the profile first if that span is still waiting. */
  getHotspots(spanId: string): CpuHotspots | undefined {
    if (this.#pending.some((p) => p.span.spanContext().spanId === spanId)) this.#safeRead();
    return this.#results.get(spanId);
  }

  /** The whole profile so far, in the `.cpuprofile` shape. */
  toCpuProfile(): CpuProfile {
    return this.#timeline.toCpuProfile();
  }

  /** Writes the profile so far; a failure is reported on stderr once, never thrown. */
  writeFile(): string {
    try {
      writeProfileFile(this.path, this.#timeline.toCpuProfile());
    } catch (error) {
      warnOnce(`cannot write ${this.path} (set JOTTY_CPU_PROFILE_DIR): ${(error as Error).message}`);
    }
    return this.path;
  }

  // Bounds memory in a long busy process: the full file is written and a fresh one begins. A
  // segment still open now only gets the samples of the new file.
  #rotate(): void {
    this.writeFile();
    this.#files++;
    this.path = this.#basePath.replace(/\.cpuprofile$/, `-${this.#files}.cpuprofile`);
    this.#timeline = new ProfileTimeline(this.samplingIntervalUs);
  }

  #safeRead(): void {
    try {
      this.read();
    } catch (error) {
      warnOnce(`could not read the profile: ${(error as Error).message}`);
    }
  }

  #scheduleRead(): void {
    if (this.#timer) return;
    const delay = Math.max(0, this.#minReadIntervalMs - (performance.now() - this.#lastReadMs));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#pending.length > 0) this.#safeRead();
    }, delay);
    this.#timer.unref();
  }

  #resolvePending(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const { span, overlapping } of pending) {
      const startUs = hrTimeToProfileUs(this.#clock, span.startTime);
      const endUs = hrTimeToProfileUs(this.#clock, span.endTime);
      const slice = sliceWindow(this.#timeline, startUs, endUs, this.#top);
      const { spanId, traceId } = span.spanContext();
      const hotspots: CpuHotspots = {
        spanId,
        traceId,
        name: span.name,
        durationMs: Math.round(endUs - startUs) / 1000,
        overlapping,
        profilePath: this.path,
        ...slice,
      };
      attachHotspots(span, hotspots);
      this.#results.set(spanId, hotspots);
      if (this.#results.size > MAX_RESULTS) this.#results.delete(this.#results.keys().next().value!);
    }
  }
}
