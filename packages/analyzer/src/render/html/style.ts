// The HTML report's stylesheet: system fonts only (nothing to fetch), light and dark by
// prefers-color-scheme, and a print layout. Chart colours are CSS variables the script reads.
export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --link: #0969da;
  --llm: #8250df; --tool: #1a7f37; --other: #8c959f; --step: #0969da; --tokens: #bc4c00; --cached: #c297ff;
  --warn: #bf8700; --bad: #cf222e; --workflow: #57606a;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23; --link: #4493f8;
    --llm: #ab7df8; --tool: #3fb950; --other: #6e7681; --step: #4493f8; --tokens: #f0883e; --cached: #d2a8ff;
    --warn: #d29922; --bad: #f85149; --workflow: #8b949e;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
header p { margin: 2px 0; color: var(--muted); overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; margin: 16px 0 4px; }
.figure { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.figure .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); font-size: 12px; }
.charts { display: grid; gap: 16px; }
.charts-2 { grid-template-columns: 1fr 1fr; }
.chart { position: relative; height: 280px; }
#chart-distribution-box { height: 90px; }
#chart-waterfall-box { height: var(--waterfall-height, 300px); }
.caption { color: var(--muted); font-size: 12px; margin: 4px 0 10px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { background: var(--panel); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td[data-impact="critical"] { color: var(--bad); font-weight: 700; }
td[data-impact="high"] { color: var(--bad); }
td[data-impact="medium"] { color: var(--warn); }
a { color: var(--link); }
footer { color: var(--muted); font-size: 12px; padding: 24px; }
@media (max-width: 800px) { .charts-2 { grid-template-columns: 1fr; } }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --panel: #f3f3f3; --line: #bbbbbb; }
  header, main, footer { max-width: none; padding: 0; }
  section { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
`;
