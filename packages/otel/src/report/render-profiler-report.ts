// Plain-text view of a ProfilerReport for printReport(): fixed-width columns, no colours, so it
// reads the same in a terminal, a CI log or a file.
import type { ProfilerReport } from "./profiler-report.js";
import type { SegmentTreeNode } from "./segment-tree.js";

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function formatUsd(usd: number): string {
  return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

function treeRows(nodes: SegmentTreeNode[], depth: number, rows: string[][]): void {
  for (const node of nodes) {
    rows.push([
      `${"  ".repeat(depth)}${node.name}`,
      String(node.count),
      formatMs(node.totalMs),
      formatMs(node.selfMs),
      formatShare(node.selfShare),
      node.errors > 0 ? String(node.errors) : "",
    ]);
    treeRows(node.children, depth + 1, rows);
  }
}

function renderCpuHotspots(operations: NonNullable<ProfilerReport["cpuHotspots"]>): string[] {
  const out = ["CPU hot spots (sampled; share = self time / the segments' wall time)"];
  for (const op of operations) {
    const overlapped = op.segments === 1 ? "" : ` ${op.overlappingSegments} of them`;
    const overlap =
      op.overlappingSegments > 0 ? `;${overlapped} overlapped other segments (samples shared, counted in each)` : "";
    out.push(
      `  ${op.name}: ${formatMs(op.cpuMs)} CPU in ${formatMs(op.wallMs)} (${formatShare(op.cpuShare)}), ${op.segments} segment${op.segments === 1 ? "" : "s"}${overlap}`,
    );
    for (const f of op.topFunctions) {
      out.push(`    ${formatMs(f.selfMs).padStart(9)} ${formatShare(f.share).padStart(6)}  ${f.function}  ${f.location}`);
    }
  }
  const profiles = [...new Set(operations.flatMap((op) => op.profiles))];
  if (profiles.length > 0) out.push(`  profile: ${profiles.join(", ")} (open in speedscope or Chrome DevTools)`);
  return out;
}

export function renderProfilerReport(r: ProfilerReport): string {
  const out: string[] = [];
  const traces = r.report.traces;
  out.push(
    `Performance report: ${r.spans} spans in ${traces} trace${traces === 1 ? "" : "s"}, wall time ${formatMs(r.wallMs)}`,
  );
  if (r.spans === 0) {
    out.push("No spans ended while the profiler was attached.");
    return out.join("\n") + "\n";
  }

  const tree: string[][] = [];
  treeRows(r.tree, 0, tree);
  out.push("", "Segment tree (merged by path; share = self time / all self time)");
  out.push(...table(["segment", "count", "total", "self", "share", "errors"], tree));

  out.push("", "Segments by name (most critical-path time first)");
  out.push(
    ...table(
      ["segment", "count", "total", "self", "mean", "p50", "p95", "max", "share", "critical"],
      r.segments.map((s) => [
        s.name,
        String(s.count),
        formatMs(s.totalMs),
        formatMs(s.selfMs),
        formatMs(s.meanMs),
        formatMs(s.p50Ms),
        formatMs(s.p95Ms),
        formatMs(s.maxMs),
        formatShare(s.selfShare),
        formatShare(s.criticalShare),
      ]),
    ),
  );

  const llm = r.llm;
  out.push("", "LLM calls");
  if (llm.calls === 0) out.push("  none");
  else {
    out.push(
      `  ${llm.calls} call${llm.calls === 1 ? "" : "s"}, ${formatMs(llm.ms)} (${formatShare(llm.share)} of wall time, ${formatShare(llm.criticalShare)} of the critical path)`,
      `  tokens: ${llm.inputTokens} in (${llm.cacheReadTokens} cached), ${llm.outputTokens} out; cost ${formatUsd(llm.costUsd)}`,
    );
    out.push(
      ...table(
        ["  provider / model", "calls", "in", "out", "cost", "p50", "p95"],
        llm.byModel.map((m) => [
          `  ${m.provider} / ${m.model}`,
          String(m.calls),
          String(m.inputTokens),
          String(m.outputTokens),
          formatUsd(m.costUsd),
          formatMs(m.p50Ms),
          formatMs(m.p95Ms),
        ]),
      ),
    );
  }

  if (r.cpuHotspots && r.cpuHotspots.length > 0) out.push("", ...renderCpuHotspots(r.cpuHotspots));

  out.push("", "Bottlenecks");
  if (r.bottlenecks.length === 0) out.push("  none above the reporting threshold");
  for (const b of r.bottlenecks) out.push(`  [${b.impact}] ${b.name} (${formatShare(b.share)}): ${b.why}`);

  if (r.recommendations.length > 0) {
    out.push("", "Recommendations");
    for (const rec of r.recommendations) {
      const saving = [
        rec.estimatedSavingMs > 0 ? `~${formatMs(rec.estimatedSavingMs)}` : "",
        rec.estimatedSavingUsd > 0 ? `~${formatUsd(rec.estimatedSavingUsd)}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      out.push(`  ${rec.kind} ${rec.target}${saving ? ` (saves ${saving})` : ""}: ${rec.evidence}`);
    }
  }
  if (r.report.warnings.length > 0) {
    out.push("", "Warnings");
    for (const w of r.report.warnings) out.push(`  ${w}`);
  }
  return out.join("\n") + "\n";
}
