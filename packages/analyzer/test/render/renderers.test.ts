import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderTable } from "../../src/render/table.js";
import { emptyReport, sampleReport } from "./sample-report.js";

const ANSI = /\u001b\[/;

describe("renderJson", () => {
  it("is the report object itself, schemaVersion 1", () => {
    const report = sampleReport();
    const parsed = JSON.parse(renderJson(report));
    expect(parsed).toEqual(report);
    expect(parsed.schemaVersion).toBe(1);
  });
});

describe("renderTable", () => {
  it("shows the headline figures and every section without colour by default", () => {
    const text = renderTable(sampleReport());
    expect(text).not.toMatch(ANSI);
    for (const expected of [
      "12 traces, 340 spans",
      "12 runs, 92 % succeeded",
      "LLM 90 % of wall time, 93 % of the critical path",
      "48 LLM calls · 182.4k input tokens (12.0k cached) · 9120 output tokens · $0.42",
      "Time distribution",
      "Steps by position",
      "LLM by model",
      "claude-haiku-4-5",
      "Bottlenecks",
      "critical",
      "Recommendations",
      "parallelize",
      "Slowest traces",
      "http://localhost:16686/trace/0af7651916cd43dd8448eb211c80319c",
      "! 2 spans whose parent is missing were read as roots",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("colours only when asked, and the text under the colour is the same", () => {
    const plain = renderTable(sampleReport(), { color: false, width: 200 });
    const coloured = renderTable(sampleReport(), { color: true, width: 200 });
    expect(coloured).toMatch(ANSI);
    expect(stripVTControlCharacters(coloured)).toBe(plain);
  });

  for (const width of [60, 80, 120]) {
    it(`fits a ${width}-column terminal`, () => {
      const text = renderTable(sampleReport(), { width });
      const long = text
        .split("\n")
        .filter((line) => line.length > width && !line.startsWith("  ! ") && !/^\d+ traces/.test(line) && !/^(Wall|\d+ LLM)/.test(line));
      expect(long).toEqual([]);
      // Wrapped, not cut: every word of a bottleneck's "why" is still there.
      expect(text.replace(/[│\s]+/g, " ")).toContain("context carries every earlier");
    });
  }

  it("shows CPU hot spots when the report has them", () => {
    const report = {
      ...sampleReport(),
      cpuHotspots: [
        {
          name: "parse documents",
          segments: 4,
          wallMs: 800,
          cpuMs: 640,
          cpuShare: 0.8,
          overlappingSegments: 0,
          topFunctions: [
            { function: "tokenize", location: "src/parse.ts:12:3", selfMs: 400, share: 0.5, segments: 4 },
            { function: "", location: "src/parse.ts:40:1", selfMs: 100, share: 0.125, segments: 2 },
          ],
          profiles: ["/tmp/p.cpuprofile"],
        },
      ],
    };
    const text = renderTable(report);
    expect(text).toContain("CPU hot spots (JOTTY_CPU_PROFILE)");
    expect(text).toMatch(/│ parse documents │ +640 ms │ +80 % │ tokenize +│ +400 ms │ src\/parse\.ts:12:3 │/);
    expect(text).toContain("(anonymous)");
    expect(renderMarkdown(report)).toContain("| parse documents | 640 ms | 80 % | tokenize | 400 ms | src/parse.ts:12:3 |");
  });

  it("Prometheus aggregates show unknown figures as dashes and no wall-time headline", () => {
    const base = sampleReport();
    const report = { ...base, source: { kind: "prometheus" as const, location: "http://localhost:9090" }, traces: 0, wallMs: 0, slowestTraces: [] };
    const text = renderTable(report);
    expect(text).toMatch(/^340 spans \(aggregates from span metrics, no trace detail\) · /);
    expect(text).toContain("LLM calls 1.4 min, 90 % of the time of llm_call (summed span durations)");
    expect(text).not.toContain("Wall time");
    expect(text).toMatch(/│ – │ plan +│ +12 │ 2\.73 s │ 3\.90 s │ +35 % │ +– │ +– │ +– │ +0 │/);
  });

  it("names each step's workflow when the report has several", () => {
    const base = sampleReport();
    const report = { ...base, steps: base.steps.map((s, i) => ({ ...s, workflow: i === 0 ? "research" : "coding" })) };
    expect(renderTable(report)).toMatch(/│ Workflow +│ +# │ Step +│/);
    expect(renderMarkdown(report)).toContain("| coding | 2 | write code | 12 |");
  });

  it("an empty window is one line", () => {
    expect(renderTable(emptyReport())).toBe("No traces in 2026-11-25 20:00:00 UTC → 2026-11-25 21:00:00 UTC (source: jaeger http://localhost:16686).\n");
  });

  it("--top limits operations and slowest traces", () => {
    const text = renderTable(sampleReport(), { top: 1 });
    expect(text).toContain("Operations (top 1 of 3)");
    expect(text).not.toContain("execute_tool search");
  });
});

describe("renderMarkdown", () => {
  it("renders the same sections as GitHub tables, escaping pipes", () => {
    const text = renderMarkdown(sampleReport());
    expect(text).toContain("# Trace analysis");
    expect(text).toContain("## Time distribution");
    expect(text).toContain("| Component | Time | Share |  |");
    expect(text).toContain("| --- | ---: | ---: | --- |");
    expect(text).toContain("| step 2: write \\| code | 25.2 s | 27 % |");
    expect(text).toContain("| 1 | plan | 12 | 2.73 s | 3.90 s | 35 % | 2100 | 0 | 1 | 0 |");
    expect(text).toContain("## Warnings\n\n- 2 spans whose parent is missing were read as roots\n");
    expect(text).not.toMatch(ANSI);
  });

  it("an empty window is one line", () => {
    expect(renderMarkdown(emptyReport())).toBe("No traces in 2026-11-25 20:00:00 UTC → 2026-11-25 21:00:00 UTC (source: jaeger http://localhost:16686).\n");
  });
});
