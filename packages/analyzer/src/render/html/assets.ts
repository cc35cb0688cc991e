// The charting library, read from node_modules at render time and inlined into the report, so
// the HTML file needs no network when opened.
//
// Chart.js (with chartjs-chart-treemap): canvas charts in one 210 KB UMD file that registers
// every chart type, plus a 16 KB treemap plugin. It covers all the report draws (stacked bars,
// bar + line on two axes, floating bars for the waterfall, treemaps), prints, and is maintained
// and widely used. ECharts would need a bundler to tree-shake below ~1 MB; uPlot draws only
// line/bar series (no treemap); Observable Plot needs d3 (larger) and renders SVG per mark.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** A package's file next to the entry its `require` export names (their exports hide dist/). */
function distFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(pkg)), file);
}

let library: string | undefined;

/** Chart.js and the treemap plugin, as one script safe to inline in a <script> element. */
export function chartLibrary(): string {
  library ??= [distFile("chart.js", "chart.umd.min.js"), distFile("chartjs-chart-treemap", "chartjs-chart-treemap.min.js")]
    .map((path) => inlineScript(readFileSync(path, "utf8")))
    .join("\n");
  return library;
}

/** Script text that cannot close its element early, without a source-map link (nothing to fetch). */
export function inlineScript(code: string): string {
  return code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n").replace(/<\/(script)/gi, "<\\/$1");
}

/** A CSP source allowing exactly this inline script or style. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}
