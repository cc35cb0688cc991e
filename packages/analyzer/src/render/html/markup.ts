// The HTML report's static content: headline figures and the same titled tables as the
// terminal and markdown views, every untrusted string escaped; charts go in the <canvas>es.
import type { Report } from "@jotty/engine";
import { htmlText as markupText, terminalText } from "../escape.js";
import { reportSections } from "../report-sections.js";
import { findingsHtml } from "./findings.js";
import { formatCount, formatMs, formatShare, formatUsd, type Section, headline, isEmptyReport, emptyLine } from "@jotty/engine";

/** Untrusted text as HTML, its control bytes shown as `\xNN` as on a terminal. */
const htmlText = (text: string) => markupText(terminalText(text));

interface Figure {
  id: string;
  label: string;
  value: string;
}

const CHARTS: Record<string, { ids: string[]; caption: string }> = {
  "Time distribution": { ids: ["chart-distribution"], caption: "Wall time split into LLM calls, tools and the rest; the parts sum to 100 %." },
  "Steps by position": {
    ids: ["chart-steps"],
    caption: "Bars: mean duration per step (amber: retried, red: timed out). Line: mean input tokens of the step's LLM calls.",
  },
  "LLM by model": { ids: ["chart-tokens", "chart-cost"], caption: "Tokens per model (input split into uncached and cached) and cost." },
  Operations: {
    ids: ["chart-self", "chart-critical"],
    caption: "Where time goes across all traces: operations by self time (left) and by time on the critical path (right).",
  },
  "Slowest traces": { ids: ["chart-waterfall"], caption: "Waterfall of the slowest trace." },
};

function figures(report: Report): Figure[] {
  const { llm } = report;
  const out: Figure[] = [];
  if (report.source.kind !== "prometheus") out.push({ id: "wall", label: "Wall time", value: formatMs(report.wallMs) });
  out.push({ id: "llm-share", label: "LLM share of wall time", value: formatShare(llm.share) });
  if (report.source.kind !== "prometheus") out.push({ id: "llm-critical-share", label: "LLM share of critical path", value: formatShare(llm.criticalShare) });
  out.push(
    { id: "llm-calls", label: "LLM calls", value: formatCount(llm.calls) },
    { id: "cost", label: "Cost", value: formatUsd(llm.costUsd) },
    { id: "input-tokens", label: "Input tokens", value: formatCount(llm.inputTokens) },
    { id: "cached-tokens", label: "Cached input tokens", value: formatCount(llm.cacheReadTokens) },
    { id: "output-tokens", label: "Output tokens", value: formatCount(llm.outputTokens) },
  );
  return out;
}

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** A cell's text, as links when it is http(s) URLs separated by ", " (Jaeger UI links of slowest traces and examples). */
function cellHtml(text: string): string {
  const parts = text.split(", ");
  if (parts.every((p) => /^https?:\/\/\S+$/.test(p))) return parts.map((p) => `<a href="${htmlText(p)}" rel="noreferrer">${htmlText(p)}</a>`).join(", ");
  return htmlText(text);
}

function tableHtml(section: Section): string {
  // The terminal's bar column has no header: the chart replaces it here.
  const shown = section.head.map((_, i) => i).filter((i) => section.head[i] !== "");
  const cls = (i: number) => (section.align[i] === "right" ? ' class="num"' : "");
  const head = shown.map((i) => `<th${cls(i)}>${htmlText(section.head[i]!)}</th>`).join("");
  const rows = section.rows
    .map((row) => {
      const cells = shown.map((i) => {
        const impact = i === section.impactColumn ? ` data-impact="${htmlText(row[i]!)}"` : "";
        return `<td${cls(i)} data-col="${htmlText(section.head[i]!)}"${impact}>${cellHtml(row[i] ?? "")}</td>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function sectionHtml(section: Section): string {
  const key = Object.keys(CHARTS).find((title) => section.title.startsWith(title));
  const chart = key === undefined ? undefined : CHARTS[key]!;
  const canvases = chart?.ids.map((id) => `<div class="chart" id="${id}-box"><canvas id="${id}" role="img"></canvas></div>`).join("") ?? "";
  const charts = chart ? `<div class="charts charts-${chart.ids.length}">${canvases}</div><p class="caption">${htmlText(chart.caption)}</p>` : "";
  const notes = (section.notes ?? []).map((n) => `<p class="caption">${htmlText(n)}</p>`).join("");
  return `<section id="${slug(section.title)}"><h2>${htmlText(section.title)}</h2>${charts}${tableHtml(section)}${notes}</section>`;
}

function warningsHtml(report: Report): string {
  if (report.warnings.length === 0) return "";
  return `<section id="warnings"><h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${htmlText(w)}</li>`).join("")}</ul></section>`;
}

export function bodyHtml(report: Report, top: number): string {
  if (isEmptyReport(report)) return `<header><h1>Trace analysis</h1><p>${htmlText(emptyLine(report))}</p></header>${warningsHtml(report)}`;
  const lines = headline(report)
    .map((line) => `<p>${htmlText(line)}</p>`)
    .join("");
  const tiles = figures(report)
    .map((f) => `<div class="figure"><div class="value" data-figure="${f.id}">${htmlText(f.value)}</div><div class="label">${htmlText(f.label)}</div></div>`)
    .join("");
  return [
    `<header><h1>Trace analysis</h1>${lines}<div class="figures">${tiles}</div></header>`,
    `<main>${reportSections(report, top).map(sectionHtml).join("\n")}${findingsHtml(report)}${warningsHtml(report)}</main>`,
    `<footer>jotty-analyze report, schemaVersion ${report.schemaVersion}. The report object is embedded below as JSON (script#report-data).</footer>`,
  ].join("\n");
}
