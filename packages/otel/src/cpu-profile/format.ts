// Text lines for printReport(): a segment's top functions by self time.
import type { CpuHotspots } from "./types.js";

export function formatCpuHotspots(hotspots: CpuHotspots, options: { top?: number; indent?: string } = {}): string {
  const indent = options.indent ?? "  ";
  const head =
    `${indent}CPU ${hotspots.cpuMs.toFixed(1)} ms sampled of ${hotspots.durationMs.toFixed(1)} ms` +
    (hotspots.overlapping ? " (overlaps other segments: their samples are shared)" : "");
  const top = hotspots.topFunctions.slice(0, options.top ?? 5);
  if (top.length === 0) return `${head}, no CPU samples`;
  const lines = top.map(
    (f) =>
      `${indent}  ${f.selfMs.toFixed(1).padStart(8)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.function}  ${f.location}`,
  );
  return [head, ...lines].join("\n");
}
