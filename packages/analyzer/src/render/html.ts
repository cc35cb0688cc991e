// `--format html`: one self-contained page (Chart.js inlined, no fonts or requests to fetch)
// drawing the same report object as the other views. A Content-Security-Policy allows only
// the page's own scripts and style, by hash, so a hostile string that slipped past escaping
// still could not run.
import { DEFAULT_TOP } from "@jotty/engine/engine";
import type { Report } from "@jotty/engine";
import { htmlText } from "./escape.js";
import { APP_SCRIPT } from "./html/app.js";
import { chartLibrary, cspHash } from "./html/assets.js";
import { bodyHtml } from "./html/markup.js";
import { STYLE } from "./html/style.js";
import { chartView } from "./html/view.js";
import { sourceLine } from "@jotty/engine";

/** JSON that can sit inside a <script> element: no "<" to close it, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function renderHtml(report: Report, options: { top?: number } = {}): string {
  const top = options.top ?? DEFAULT_TOP;
  const library = chartLibrary();
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(library)} ${cspHash(APP_SCRIPT)}`,
    `style-src ${cspHash(STYLE)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Trace analysis · ${htmlText(sourceLine(report))}</title>
<style>${STYLE}</style>
</head>
<body>
${bodyHtml(report, top)}
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script type="application/json" id="chart-data">${scriptJson(chartView(report, top))}</script>
<script>${library}</script>
<script>${APP_SCRIPT}</script>
</body>
</html>
`;
}
