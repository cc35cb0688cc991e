// Each finding with its evidence in the HTML report: cause, fix, the saving in the window and per
// run, the example spans (links into Jaeger UI only when Jaeger is the source) and the command
// that validates the change.
import type { Report } from "@jotty/engine";
import { formatMs, formatUsd, spanUrl } from "@jotty/engine";
import { htmlText as markupText, terminalText } from "../escape.js";

const htmlText = (text: string) => markupText(terminalText(text));

function exampleHtml(report: Report, e: Report["recommendations"][number]["examples"][number]): string {
  const label = `trace ${e.traceId}, span ${e.spanId}`;
  const url = spanUrl(report, e);
  if (url === "") return `<li><code>${htmlText(label)}</code></li>`;
  return `<li><a href="${htmlText(url)}">${htmlText(label)}</a></li>`;
}

export function findingsHtml(report: Report): string {
  if (report.recommendations.length === 0) return "";
  const items = report.recommendations.map((r) => {
    const saves = `${formatMs(r.estimatedSavingMs)} and ${formatUsd(r.estimatedSavingUsd)} in the window; ${formatMs(r.perRun.estimatedSavingMs)} and ${formatUsd(r.perRun.estimatedSavingUsd)} a run`;
    const examples = r.examples.length > 0 ? `<ul>${r.examples.map((e) => exampleHtml(report, e)).join("")}</ul>` : "–";
    return (
      `<article class="finding" data-finding="${htmlText(r.id)}"><h3>${htmlText(r.kind)}: ${htmlText(r.target)}</h3><dl>` +
      `<dt>Saves</dt><dd>${htmlText(saves)}</dd><dt>Cause</dt><dd>${htmlText(r.cause)}</dd><dt>Fix</dt><dd>${htmlText(r.fix)}</dd>` +
      `<dt>Evidence</dt><dd>${htmlText(r.evidence)}</dd><dt>Examples</dt><dd>${examples}</dd>` +
      `<dt>Validate</dt><dd><code>${htmlText(r.validate)}</code></dd></dl></article>`
    );
  });
  return `<section id="findings"><h2>Findings and their evidence</h2>${items.join("")}</section>`;
}
