// Per-operation statistics: count, total, self and critical-path time, percentiles, errors.
// The table keeps Jaeger UI's semantics (an HTTP request under an llm_call holds most of the
// call's self time, as Jaeger shows it); `outsideLlm` has the same figures without the spans
// below LLM calls, whose time the bottlenecks attribute to the LLM call.

import type { Report } from "../report.js";
import { Keyed } from "./keyed.js";
import { cmp, ms, percentile, share } from "./numbers.js";
import { addSample, samples, sortedSamples, type Samples } from "./samples.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";
import { mergeValue } from "./merge-state.js";

export interface Operation {
  name: string;
  service: string;
  count: number;
  totalNs: number;
  selfNs: number;
  critNs: number;
  /** Durations of the spans outside LLM calls, then of those below one (`inLlmDurations`). */
  durations: Samples;
  inLlmDurations: Samples;
  outsideCritNs: number;
  outsideSelfNs: number;
  errors: number;
  /** Every span of the operation is an LLM call, a step or a step attempt (reported in their own sections). */
  reportedElsewhere: boolean;
  /** Some span of the operation is an LLM call itself (not a span below one). */
  isLlm: boolean;
}

export type OperationRow = Report["operations"][number] & {
  /** Every span is an LLM call, a step, a step attempt or below an LLM call: reported in their own sections. */
  reportedElsewhere: boolean;
  /** The figures of the spans that are not below an LLM call. */
  outsideLlm: { count: number; criticalMs: number; criticalShare: number; selfMs: number; p95Ms: number };
};

export class OperationStats {
  private readonly ops = new Keyed<Operation>();
  private readonly services = new Set<string>();
  selfTotalNs = 0;

  addTrace(f: TraceFacts): void {
    const nodes = f.trace.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      let op = this.ops.get(node.service, node.name);
      if (op === undefined) {
        op = {
          name: node.name,
          service: node.service,
          count: 0,
          totalNs: 0,
          selfNs: 0,
          critNs: 0,
          durations: samples(),
          inLlmDurations: samples(),
          outsideCritNs: 0,
          outsideSelfNs: 0,
          errors: 0,
          reportedElsewhere: true,
          isLlm: false,
        };
        this.ops.set(node.service, node.name, op);
        this.services.add(node.service);
      }
      const duration = node.end - node.start;
      op.count++;
      op.totalNs += duration;
      op.selfNs += f.selfNs[i]!;
      op.critNs += f.critNs[i]!;
      if (node.error) op.errors++;
      if (node.role === Role.Llm) op.isLlm = true;
      if (f.inLlm[i]) addSample(op.inLlmDurations, duration);
      else {
        addSample(op.durations, duration);
        op.outsideCritNs += f.critNs[i]!;
        op.outsideSelfNs += f.selfNs[i]!;
        if (node.role !== Role.Step && node.role !== Role.Attempt) op.reportedElsewhere = false;
      }
      this.selfTotalNs += f.selfNs[i]!;
    }
  }

  state() {
    return { ops: this.ops, services: this.services, selfTotalNs: this.selfTotalNs };
  }

  merge(s: ReturnType<OperationStats["state"]>): void {
    mergeValue(this.ops, s.ops, { and: ["reportedElsewhere"] });
    mergeValue(this.services, s.services);
    this.selfTotalNs += s.selfTotalNs;
  }

  /** All operations, most critical-path time first; the name carries the service when there are several. */
  rows(critTotalNs: number): OperationRow[] {
    const withService = this.services.size > 1;
    const rows = [...this.ops.values()].map((op) => {
      const outside = sortedSamples(op.durations);
      const sorted = op.inLlmDurations.length > 0 ? sortedSamples(op.durations, op.inLlmDurations) : outside;
      return {
        name: withService ? `${op.name} (${op.service})` : op.name,
        count: op.count,
        totalMs: ms(op.totalNs),
        selfMs: ms(op.selfNs),
        selfShare: share(op.selfNs, this.selfTotalNs),
        criticalMs: ms(op.critNs),
        criticalShare: share(op.critNs, critTotalNs),
        p50Ms: ms(percentile(sorted, 50)),
        p95Ms: ms(percentile(sorted, 95)),
        maxMs: ms(sorted.length > 0 ? sorted[sorted.length - 1]! : 0),
        errors: op.errors,
        ...(op.durations.length === 0 && !op.isLlm ? { llmTransport: true as const } : {}),
        reportedElsewhere: op.reportedElsewhere,
        outsideLlm: {
          count: outside.length,
          criticalMs: ms(op.outsideCritNs),
          criticalShare: share(op.outsideCritNs, critTotalNs),
          selfMs: ms(op.outsideSelfNs),
          p95Ms: ms(percentile(outside, 95)),
        },
      };
    });
    return rows.sort((a, b) => b.criticalMs - a.criticalMs || b.selfMs - a.selfMs || cmp(a.name, b.name));
  }
}
