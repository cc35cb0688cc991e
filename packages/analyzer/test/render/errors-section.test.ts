// The errors section in every view: a row per provider, model and error type with its count and
// the time lost, examples as Jaeger UI links when Jaeger is the source, else as ids.
import type { Report } from "@jotty/engine";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/render/html.js";
import { renderJson } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderTable } from "../../src/render/table.js";
import { sampleReport } from "./sample-report.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";

function withErrors(source: Report["source"]): Report {
  return {
    ...sampleReport(),
    source,
    errors: [
      {
        provider: "openai",
        model: "gpt-4o",
        type: "tokens",
        httpStatus: 429,
        count: 2,
        lostMs: 2_400,
        backoffMs: 2_000,
        examples: [{ traceId: TRACE, spanId: SPAN }],
      },
      { provider: "anthropic", model: "claude-haiku-4-5", type: "APIConnectionError", httpStatus: 0, count: 1, lostMs: 30, backoffMs: 0, examples: [] },
    ],
  };
}

const LINK = `http://localhost:16686/trace/${TRACE}?uiFind=${SPAN}`;

describe("errors section", () => {
  it("from Jaeger: each row with its figures, the example a Jaeger UI link", () => {
    const report = withErrors({ kind: "jaeger", location: "http://localhost:16686/" });
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("## Errors (failed LLM calls)");
    expect(markdown).toContain(`| openai | gpt-4o | tokens | 429 | 2 | 2.40 s | 2.00 s | ${LINK} |`);
    expect(markdown).toContain("| anthropic | claude-haiku-4-5 | APIConnectionError | – | 1 | 30 ms | – | – |");
    const html = renderHtml(report);
    expect(html).toContain('<section id="errors-failed-llm-calls">');
    expect(html).toContain(`<a href="${LINK}" rel="noreferrer">`);
    expect(renderTable(report, { width: 200 })).toContain(LINK);
    expect(JSON.parse(renderJson(report)).errors).toEqual(report.errors);
  });

  it("from a file: the example's trace and span ids, no link", () => {
    const report = withErrors({ kind: "file", location: "traces.jsonl" });
    for (const out of [renderMarkdown(report), renderHtml(report), renderTable(report, { width: 200 })]) {
      expect(out).toContain(`trace ${TRACE} span ${SPAN}`);
      expect(out).not.toContain("uiFind");
    }
  });
});
