// Per-operation statistics: count, total, self and critical-path time, percentiles, errors.

import type { Report } from "../report.js";
import { Keyed } from "./keyed.js";
import { ms, percentile, share, sortedCopy } from "./numbers.js";
import { Role } from "./span-node.js";
import type { TraceFacts } from "./trace-facts.js";

interface Operation {
  name: string;
  service: string;
  count: number;
  totalNs: number;
  selfNs: number;
  critNs: number;
  durations: number[];
  errors: number;
  /** Every span of the operation is an LLM call, a step or a step attempt (reported in their own sections). */
  reportedElsewhere: boolean;
}

export type OperationRow = Report["operations"][number] & { reportedElsewhere: boolean };

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
        op = { name: node.name, service: node.service, count: 0, totalNs: 0, selfNs: 0, critNs: 0, durations: [], errors: 0, reportedElsewhere: true };
        this.ops.set(node.service, node.name, op);
        this.services.add(node.service);
      }
      const duration = node.end - node.start;
      op.count++;
      op.totalNs += duration;
      op.selfNs += f.selfNs[i]!;
      op.critNs += f.critNs[i]!;
      op.durations.push(duration);
      if (node.error) op.errors++;
      if (node.role !== Role.Llm && node.role !== Role.Step && node.role !== Role.Attempt) op.reportedElsewhere = false;
      this.selfTotalNs += f.selfNs[i]!;
    }
  }

  /** All operations, most critical-path time first; the name carries the service when there are several. */
  rows(critTotalNs: number): OperationRow[] {
    const withService = this.services.size > 1;
    const rows = [...this.ops.values()].map((op) => {
      const sorted = sortedCopy(op.durations);
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
        reportedElsewhere: op.reportedElsewhere,
      };
    });
    return rows.sort(
      (a, b) => b.criticalMs - a.criticalMs || b.selfMs - a.selfMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }
}
