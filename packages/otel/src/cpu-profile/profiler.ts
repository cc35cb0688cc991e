// The CPU profiler: one V8 sampling profile for its whole lifetime, sliced by the time window
// of every INTERNAL span (profiling segments, steps, tools, workflows).
//
// How a slice reaches the span: samples only leave V8 when a chunk ends, so shortly after a
// segment ends we end the running chunk (the next one is already sampling, see sampler.ts;
// 0.1-0.2 ms), slice the window and write the result onto the span object. Not inside
// span.end(), and not in the very next turn either: an agent that ends a segment and sends its
// next LLM request would pay for the read before the request leaves (fetch takes a few turns to
// write it; measured: +0.7 % wall on the I/O bench with setImmediate, 0 % with this delay).
// READ_DELAY_MS later the request is out and the read costs waiting time only; segments that
// end meanwhile share the read. Exporters send from their own timers (batch: 5 s, traces file:
// 200 ms); one that fires inside that delay first calls settleEndedSync (settleEndedSpans), and
// forceFlush reads first (the fan-out processor runs before the exporters). Reads are paid from
// a budget (readBudget of wall time, 0.5 % by default, bursts up to 20 ms): when tiny segments
// end all the time, those over budget wait up to 100 ms for a shared read.
import { SpanKind, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { hrTimeUs, nowProfileUs, readProfileClock, spanTimeToProfileUs, type ProfileClock } from "./clock.js";
import { sliceWindow } from "./hotspots.js";
import { OverlapTracker } from "./overlap.js";
import { DEFAULT_PROFILE_DIR, profilePath, writeProfileFile } from "./profile-file.js";
import { DEFAULT_SERVICE_NAME, findAppPackageName } from "../sdk/service-name.js";
import { ChunkedSampler } from "./sampler.js";
import { attachHotspots } from "./span-attributes.js";
import { ProfileTimeline } from "./timeline.js";
import type { CpuHotspots, CpuProfile, CpuProfilerOptions } from "./types.js";
import { positiveFromEnv, warnOnce } from "./warn.js";

const MAX_RESULTS = 10_000;
const MAX_READ_BURST_MS = 20;
const MAX_READ_DELAY_MS = 100;
const READ_DELAY_MS = 2;
// Also read while no segment ends, so V8 never holds (and then serialises in one go) a long chunk.
const BACKGROUND_READ_MS = 10_000;

interface Pending {
  span: ReadableSpan;
  startUs: number; // profile clock
  endUs: number;
  overlapping: boolean;
}

const MAX_OPEN = 50_000;
// The profiler reads in the turn after a segment ends, so inside the next segment's window: its
// own frames (this directory) are left out of every slice. They stay in the .cpuprofile.
const OWN_URL_PREFIX = new URL(".", import.meta.url).href;

export class CpuProfiler implements SpanProcessor {
  /** The file being written now; a new one is started every maxSamplesPerFile samples. */
  path: string;
  readonly samplingIntervalUs: number;
  readonly #top: number;
  readonly #readBudget: number;
  readonly #sampler: ChunkedSampler;
  #timeline: ProfileTimeline;
  readonly #maxSamplesPerFile: number;
  readonly #basePath: string;
  #files = 1;
  readonly #clock: ProfileClock;
  readonly #overlap = new OverlapTracker();
  readonly #results = new Map<string, CpuHotspots>();
  readonly #starts = new Map<string, number>(); // open INTERNAL spans: start on the profile clock
  #pending: Pending[] = [];
  #tokensMs: number; // read time we may spend right now
  #tokensAt = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #background: NodeJS.Timeout;
  #waiters: (() => void)[] = [];
  #running = true;

  constructor(options: CpuProfilerOptions = {}) {
    this.samplingIntervalUs = Math.max(50, Math.round(options.samplingIntervalUs ?? positiveFromEnv("JOTTY_CPU_PROFILE_INTERVAL_US") ?? 1000));
    this.#top = options.topFunctions ?? 10;
    this.#readBudget = Math.max(0, options.readBudget ?? 0.005);
    this.#tokensMs = this.#readBudget > 0 ? MAX_READ_BURST_MS : 0;
    const dir = options.dir ?? (process.env.JOTTY_CPU_PROFILE_DIR || DEFAULT_PROFILE_DIR);
    // As the SDK names the service (OTEL_SERVICE_NAME, else the app's package name).
    const service = options.serviceName ?? (process.env.OTEL_SERVICE_NAME || findAppPackageName() || DEFAULT_SERVICE_NAME);
    this.path = this.#basePath = profilePath(dir, service, new Date());
    this.#maxSamplesPerFile = options.maxSamplesPerFile ?? 2_000_000;
    this.#timeline = new ProfileTimeline(this.samplingIntervalUs, OWN_URL_PREFIX);
    this.#sampler = new ChunkedSampler(this.samplingIntervalUs);
    this.#clock = readProfileClock();
    this.#sampler.start();
    this.#tokensAt = performance.now();
    this.#background = setInterval(() => this.#safeRead(), BACKGROUND_READ_MS).unref();
  }

  get running(): boolean {
    return this.#running;
  }

  onStart(span: Span, _parentContext: Context): void {
    if (!this.#running || span.kind !== SpanKind.INTERNAL) return;
    const id = span.spanContext().spanId;
    const startUs = nowProfileUs(this.#clock);
    this.#starts.set(id, startUs);
    // Spans that never end must not grow this without bound.
    if (this.#starts.size > MAX_OPEN) this.#starts.delete(this.#starts.keys().next().value!);
    this.#overlap.start(id, span.parentSpanContext?.spanId, startUs);
  }

  onEnd(span: ReadableSpan): void {
    if (!this.#running || span.kind !== SpanKind.INTERNAL) return;
    try {
      const id = span.spanContext().spanId;
      const startUs = this.#starts.get(id) ?? spanTimeToProfileUs(this.#clock, span.startTime);
      this.#starts.delete(id);
      // The start was read in onStart, which can run late (after other processors, or a GC):
      // start + duration would then end the window after the next sibling began. The clock read
      // now cannot: onEnd runs inside span.end(), before any code after it starts a sibling.
      const endUs = Math.min(startUs + hrTimeUs(span.duration), nowProfileUs(this.#clock));
      const overlapping = this.#overlap.end(id, span.parentSpanContext?.spanId, startUs, endUs);
      this.#pending.push({ span, startUs, endUs, overlapping });
      this.#scheduleRead();
    } catch (error) {
      // Profiling must never break the app's span.end().
      warnOnce(`could not slice the profile: ${(error as Error).message}`);
    }
  }

  /** Called by the exporters before they serialize: ended segments get their slices first. */
  settleEndedSync(): void {
    if (this.#running && this.#pending.length > 0) this.#safeRead();
  }

  /** Reads the samples taken so far and resolves every ended segment waiting for them. */
  read(): void {
    if (!this.#running) return;
    const started = performance.now();
    const chunk = this.#sampler.read();
    if (chunk) this.#timeline.append(chunk);
    this.#resolvePending();
    this.#refill();
    this.#tokensMs -= performance.now() - started;
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
    this.#cancelScheduled();
    clearInterval(this.#background);
    for (const resolve of this.#waiters.splice(0)) resolve();
    this.writeFile();
    return this.path;
  }

  /** Resolves once every ended segment has its slice (at once if none is waiting). */
  settled(): Promise<void> {
    if (this.#pending.length === 0 || !this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
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
    this.#timeline = new ProfileTimeline(this.samplingIntervalUs, OWN_URL_PREFIX);
  }

  #safeRead(): void {
    try {
      this.read();
    } catch (error) {
      warnOnce(`could not read the profile: ${(error as Error).message}`);
    }
  }

  #refill(): number {
    const now = performance.now();
    this.#tokensMs = Math.min(MAX_READ_BURST_MS, this.#tokensMs + (now - this.#tokensAt) * this.#readBudget);
    this.#tokensAt = now;
    return this.#tokensMs;
  }

  // Soon while the budget lasts, else when it is back (~0.15 ms per read at 0.5 % is ~30 ms; never
  // later than 100 ms). The timer keeps the process alive until it ran, so the last segments of a
  // script are resolved before the SDK's exit flush writes them out. A zero budget waits for a
  // flush, stop or getHotspots.
  #scheduleRead(): void {
    if (this.#timer || this.#readBudget <= 0) return;
    const tokens = this.#refill();
    const delay = tokens > 0 ? READ_DELAY_MS : Math.min(MAX_READ_DELAY_MS, Math.ceil(-tokens / this.#readBudget));
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#readIfPending();
      },
      Math.max(READ_DELAY_MS, delay),
    );
  }

  #readIfPending(): void {
    if (this.#pending.length > 0) this.#safeRead();
  }

  #cancelScheduled(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #resolvePending(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const { span, startUs, endUs, overlapping } of pending) {
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
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}
