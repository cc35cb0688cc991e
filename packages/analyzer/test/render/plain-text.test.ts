import { describe, expect, it } from "vitest";
import type { CpuHotspotOperation } from "@jotty/engine";
import { renderMarkdown } from "../../src/render/markdown.js";
import { plainSection } from "@jotty/engine";
import { sections } from "@jotty/engine";
import { renderTable } from "../../src/render/table.js";
import { sampleReport } from "./sample-report.js";

const parse: CpuHotspotOperation = {
  name: "parse documents",
  segments: 4,
  wallMs: 800,
  cpuMs: 640,
  cpuShare: 0.8,
  overlappingSegments: 2,
  topFunctions: [{ function: "tokenize", location: "src/parse.ts:12:3", selfMs: 400, share: 0.5, segments: 4 }],
  profiles: ["/tmp/p.cpuprofile"],
};

describe("plain-text sections", () => {
  it("lines up each column: right-aligned cells end where their header ends", () => {
    const operations = sections(sampleReport()).find((s) => s.title.startsWith("Operations"))!;
    const [title, head, ...rows] = plainSection(operations);
    expect(title).toBe(operations.title);
    const end = head!.indexOf("Count") + "Count".length;
    expect(rows.length).toBe(operations.rows.length);
    for (const [i, line] of rows.entries()) {
      expect(line.startsWith(`  ${operations.rows[i]![0]}`)).toBe(true);
      expect(line.slice(0, end).endsWith(operations.rows[i]![1]!)).toBe(true);
    }
  });

  it("moves long explanations below the table as numbered notes, whole", () => {
    const bottlenecks = sections(sampleReport()).find((s) => s.title === "Bottlenecks")!;
    const lines = plainSection(bottlenecks);
    bottlenecks.rows.forEach((row, i) => {
      expect(lines).toContain(`  [${i + 1}] ${row[bottlenecks.detailColumn!]}`);
      expect(lines[2 + i]).toMatch(new RegExp(`^ +\\[${i + 1}\\] +${row[0]} `));
    });
  });

  it("every view says which segments overlapped and where the profile is", () => {
    const report = { ...sampleReport(), cpuHotspots: [parse] };
    const overlap = "parse documents: 2 of its 4 segments overlapped other segments (samples shared, counted in each)";
    const profile = "Profile: /tmp/p.cpuprofile (open in speedscope or Chrome DevTools)";
    const plain = plainSection(sections(report).find((s) => s.title.startsWith("CPU hot spots"))!);
    expect(plain.slice(-2)).toEqual([`  ${overlap}`, `  ${profile}`]);
    expect(renderTable(report)).toContain(overlap);
    expect(renderTable(report)).toContain(profile);
    expect(renderMarkdown(report)).toContain(`${overlap}  \n`);
  });
});
