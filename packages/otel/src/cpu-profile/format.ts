// Text lines for one segment's hot spots: the analyzer's CPU hot-spot section (the one printReport()
// and `pnpm analyze` show), for this segment alone.
import { cpuHotspotsSection, plainSection } from "@jotty/engine/text";
import type { CpuHotspots } from "./types.js";

export function formatCpuHotspots(hotspots: CpuHotspots, options: { top?: number; indent?: string } = {}): string {
  const indent = options.indent ?? "  ";
  const section = cpuHotspotsSection([
    {
      name: hotspots.name,
      segments: 1,
      wallMs: hotspots.durationMs,
      cpuMs: hotspots.cpuMs,
      cpuShare: hotspots.durationMs > 0 ? hotspots.cpuMs / hotspots.durationMs : 0,
      overlappingSegments: hotspots.overlapping ? 1 : 0,
      topFunctions: hotspots.topFunctions.slice(0, options.top ?? 5).map((f) => ({ ...f, segments: 1 })),
      profiles: hotspots.profilePath ? [hotspots.profilePath] : [],
    },
  ]);
  return plainSection(section)
    .map((line) => indent + line)
    .join("\n");
}
