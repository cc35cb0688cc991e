// Plain-text view of a ProfilerReport for printReport(): the in-process segment tree, then the
// analyzer's own headline and sections rendered as plain text, so the figures and their formats
// are those of `pnpm analyze`.
import { formatCount, formatMs, formatShare, headline, plainSection, sections, type Section } from "@jotty/engine/text";
import type { ProfilerReport } from "./profiler-report.js";
import type { SegmentTreeNode } from "./segment-tree.js";

function treeRows(nodes: SegmentTreeNode[], depth: number, rows: string[][]): void {
  for (const node of nodes) {
    rows.push([
      `${"  ".repeat(depth)}${node.name}`,
      formatCount(node.count),
      formatMs(node.totalMs),
      formatMs(node.selfMs),
      formatShare(node.selfShare),
      String(node.errors),
    ]);
    treeRows(node.children, depth + 1, rows);
  }
}

function segmentTreeSection(tree: SegmentTreeNode[]): Section {
  const rows: string[][] = [];
  treeRows(tree, 0, rows);
  return {
    title: "Segment tree (merged by path; self share = self time / all self time)",
    head: ["Segment", "Count", "Total", "Self", "Self share", "Errors"],
    align: ["left", "right", "right", "right", "right", "right"],
    rows,
    flex: [0],
  };
}

export function renderProfilerReport(r: ProfilerReport, options: { top?: number } = {}): string {
  const out = ["Performance report (PerformanceProfiler)"];
  if (r.spans === 0) {
    out.push("No spans ended while the profiler was attached.");
    return out.join("\n") + "\n";
  }
  out.push(...headline(r.report));
  for (const section of [segmentTreeSection(r.tree), ...sections(r.report, options.top)]) out.push("", ...plainSection(section));
  if (r.report.warnings.length > 0) out.push("", "Warnings", ...r.report.warnings.map((w) => `  ${w}`));
  return out.join("\n") + "\n";
}
