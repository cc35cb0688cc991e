// A trace analysed early (its spans outgrew the pending window) may have the missing parents of
// its spans in a part still to come: their "parent is missing" warning waits until it is known
// whether more of the trace comes. Once it does, the split-trace warning explains them instead.

import { emptyIssues, type TraceIssues } from "./link-trace.js";
import { RECENT_TRACES } from "./trace-ids.js";
import { mergeValue } from "./merge-state.js";

export class HeldOrphans {
  private readonly held = new Map<string, number>();

  constructor(
    private readonly report: (issues: TraceIssues, traceId: string) => void,
    private readonly capacity = RECENT_TRACES,
  ) {}

  /** The issues of one part of a trace to report now (`early`: analysed before the trace was known complete). */
  reportNow(traceId: string, issues: TraceIssues, laterPart: boolean, early: boolean): TraceIssues {
    if (laterPart) this.held.delete(traceId);
    if (issues.orphans === 0 || (!laterPart && !early)) return issues;
    if (!laterPart) {
      this.held.set(traceId, issues.orphans);
      // Past the bound, every held warning is given: each trace's later part would most likely have come by now.
      if (this.held.size > this.capacity) this.finish();
    }
    return { ...issues, orphans: 0 };
  }

  state() {
    return this.held;
  }

  merge(s: ReturnType<HeldOrphans["state"]>): void {
    mergeValue(this.held, s);
  }

  /** Reports what is still held: those traces never got another part. */
  finish(): void {
    for (const traceId of [...this.held.keys()]) this.release(traceId);
  }

  private release(traceId: string): void {
    this.report({ ...emptyIssues(), orphans: this.held.get(traceId)! }, traceId);
    this.held.delete(traceId);
  }
}
