import { EXAMPLE_TRACES } from "./constants.js";
import type { TraceIssues } from "./link-trace.js";
import { mergeValue } from "./merge-state.js";

const MESSAGES: Record<keyof TraceIssues, (spans: number, traces: number) => string> = {
  duplicates: (s, t) => `${s} duplicate span id(s) in ${t} trace(s): kept the first span of each id`,
  orphans: (s, t) => `${s} span(s) in ${t} trace(s) name a parent that is missing: treated as roots`,
  cycles: (s, t) => `${s} parent cycle(s) in ${t} trace(s): broken at the earliest span of each cycle`,
  negativeDurations: (s, t) => `${s} span(s) in ${t} trace(s) end before they start: duration set to 0`,
  outsideParent: (s, t) =>
    `${s} span(s) in ${t} trace(s) extend outside their parent (clock skew or detached work): clamped to the parent for self time and critical path`,
};

const KINDS = Object.keys(MESSAGES) as (keyof TraceIssues)[];

/** The warnings of one trace, one line per kind of problem. */
export function traceWarnings(issues: TraceIssues, traceId: string): string[] {
  return KINDS.filter((k) => issues[k] > 0).map((k) => `${MESSAGES[k](issues[k], 1)} (trace ${traceId})`);
}

/**
 * The report's warnings about linking spans into traces (duplicates, orphans, cycles, …), one line
 * per kind with example trace ids, never one per span; plus the engine's other warnings. (The
 * sources' WarningLog counts problems in the input instead.)
 */
export class TraceIssueLog {
  private readonly spans = new Map<keyof TraceIssues, number>();
  private readonly traces = new Map<keyof TraceIssues, string[]>();
  private readonly traceCounts = new Map<keyof TraceIssues, number>();
  private readonly extra: string[] = [];

  addTrace(issues: TraceIssues, traceId: string): void {
    for (const k of KINDS) {
      const count = issues[k];
      if (count === 0) continue;
      this.spans.set(k, (this.spans.get(k) ?? 0) + count);
      this.traceCounts.set(k, (this.traceCounts.get(k) ?? 0) + 1);
      const examples = this.traces.get(k) ?? [];
      if (examples.length < EXAMPLE_TRACES) examples.push(traceId);
      this.traces.set(k, examples);
    }
  }

  add(message: string): void {
    if (!this.extra.includes(message)) this.extra.push(message);
  }

  state() {
    return { spans: this.spans, traces: this.traces, traceCounts: this.traceCounts, extra: this.extra };
  }

  merge(s: ReturnType<TraceIssueLog["state"]>): void {
    mergeValue(this.spans, s.spans);
    mergeValue(this.traces, s.traces, { caps: { traces: EXAMPLE_TRACES } }, "traces");
    mergeValue(this.traceCounts, s.traceCounts);
    for (const line of s.extra) this.add(line);
  }

  lines(): string[] {
    const out: string[] = [];
    for (const k of KINDS) {
      const spans = this.spans.get(k);
      if (spans === undefined) continue;
      out.push(`${MESSAGES[k](spans, this.traceCounts.get(k)!)} (e.g. trace ${this.traces.get(k)!.join(", ")})`);
    }
    return [...out, ...this.extra];
  }
}

export const mergedCallsWarning = (spans: number): string =>
  `${spans} inference span(s) recorded a call another inference span also recorded (nested in it, or beside it with the same usage: an SDK's own telemetry, another instrumentation, a framework's span over the provider call): merged, each call counted once with the most provider-direct usage`;

export const callsWithoutUsageWarning = (calls: number): string =>
  `${calls} LLM call(s) recorded no token usage (a stream without usage, a failed call, or an instrumentation that does not record it): counted with 0 tokens and no cost, not estimated`;

/**
 * Traces analysed in parts: their wall time, spans and slowest-traces row are merged across the
 * parts (trace-totals.ts), the figures that need the whole tree are per part.
 */
export const splitTracesWarning = (
  traces: number,
  spans: number,
  maxPending: number,
  exampleId: string,
  example: { parts: number; spans: number } | undefined,
): string =>
  `${traces} trace(s) analysed in parts, ${spans} span(s) after their trace's first part (more than ${maxPending} spans of unfinished traces held, or spans after flushTrace): ` +
  `wall time, span count and the slowest-traces row are the whole trace's, counted once; self time, critical path and steps are per part, a span whose parent fell in another part counting as a root` +
  ` (e.g. trace ${exampleId}${example !== undefined ? `: ${example.spans} spans in ${example.parts} parts` : ""})`;

export const crossTraceMergedWarning = (spans: number): string =>
  `${spans} inference span(s) recorded a call an inference span of another trace also recorded (the root of a small trace of its own, or in a framework's run exported apart, with the same model and usage (or one of them none), within the other's time: an instrumentation that does not make its span current, or exports through a pipeline of its own): merged, each call counted once`;
