// The HTML report of a generated run with known figures, opened in Debian's Chromium with the
// network off: nothing fails to load, the page shows the JSON report's figures, the charts hold
// them, and hostile names stay text. Screenshots land in .jotty/browser/ (git-ignored).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium, openOffline, type OfflinePage } from "@jotty/test-kit/chromium";
import { buildReport } from "@jotty/engine/engine";
import { renderHtml } from "../../src/render/html.js";
import { formatCount, formatMs, formatShare, formatUsd } from "@jotty/engine";
import type { Report } from "@jotty/engine";
import { llm, step, tool, workflow } from "@jotty/test-kit/spans";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const outDir = join(repoRoot, ".jotty", "browser");
const JAEGER = "http://localhost:16686";
const HOSTILE_MODEL = `gpt-4o<img src=x onerror="window.__pwned=1">`;
const HOSTILE_STEP = `write</script><script>window.__pwned=2</script>`;
const HOSTILE_TOOL = `"><svg onload=window.__pwned=3>\u001b[2J`;

// k1: workflow 0..1000 ms; step 0 "plan" 0..400 with an LLM call 0..300; step 1 (hostile name)
// 400..1000 with an LLM call 400..900 and a tool 900..1000. k2: one LLM call 0..100 of 200 ms.
// LLM time 300 + 500 + 100 of 1200 ms wall = 75 %; tools 100 ms; cost 0.01 + 0.03 + 0.002.
function knownReport(): Report {
  const spans = [
    workflow({ trace: "k1", id: "W", start: 0, end: 1000 }),
    step({ trace: "k1", id: "S0", parent: "W", start: 0, end: 400, step: "plan", index: 0 }),
    llm({ trace: "k1", id: "L1", parent: "S0", start: 0, end: 300, input: 1000, output: 100, cacheRead: 200, cost: 0.01, model: "gpt-4o" }),
    step({ trace: "k1", id: "S1", parent: "W", start: 400, end: 1000, step: HOSTILE_STEP, index: 1, attempts: 2 }),
    llm({ trace: "k1", id: "L2", parent: "S1", start: 400, end: 900, input: 3000, output: 200, cost: 0.03, model: HOSTILE_MODEL }),
    tool({ trace: "k1", id: "T", parent: "S1", start: 900, end: 1000, tool: HOSTILE_TOOL }),
    workflow({ trace: "k2", id: "W", start: 0, end: 200 }),
    llm({ trace: "k2", id: "L", parent: "W", start: 0, end: 100, input: 500, output: 50, cost: 0.002, model: "gpt-4o" }),
  ];
  return buildReport(spans, { source: { kind: "jaeger", location: JAEGER }, jaegerUrl: JAEGER, waterfall: true, prices: null });
}

const browserPath = chromiumPath();
if (browserPath === undefined && process.env.CI !== "true") {
  console.log("html-browser.test: skipped, no Chromium (apt-get install chromium)");
}

describe.skipIf(browserPath === undefined && process.env.CI !== "true")("HTML report in Chromium, network off (generated run)", () => {
  let browser: Browser;
  let opened: OfflinePage;
  let report: Report;

  beforeAll(async () => {
    report = knownReport();
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, "known.html");
    writeFileSync(file, renderHtml(report));
    browser = await launchChromium();
    opened = await openOffline(browser, file);
    await opened.page.screenshot({ path: join(outDir, "known-light.png"), fullPage: true });
  });

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
  });

  it("the known figures are the report's (hand-computed)", () => {
    expect(report.llm.share).toBe(0.75);
    expect(report.llm.calls).toBe(3);
    expect(report.llm.costUsd).toBeCloseTo(0.042, 12);
    expect(report.steps.map((s) => s.meanMs)).toEqual([400, 600]);
    expect(report.waterfall?.traceId).toBe("k1");
  });

  it("loads with no console error, page error, dialog or request", () => {
    expect(opened.problems).toEqual([]);
  });

  it("shows the JSON report's LLM share, critical-path share, cost, calls and tokens", async () => {
    const figure = (id: string) => opened.page.locator(`[data-figure="${id}"]`).textContent();
    expect(await figure("llm-share")).toBe(formatShare(report.llm.share));
    expect(await figure("llm-share")).toBe("75 %");
    expect(await figure("llm-critical-share")).toBe(formatShare(report.llm.criticalShare));
    expect(await figure("cost")).toBe(formatUsd(report.llm.costUsd));
    expect(await figure("llm-calls")).toBe(formatCount(report.llm.calls));
    expect(await figure("cached-tokens")).toBe("200");
  });

  it("shows the step durations in the steps table and charts them", async () => {
    const means = await opened.page.locator('#steps-by-position td[data-col="Mean"]').allTextContents();
    expect(means).toEqual(report.steps.map((s) => formatMs(s.meanMs)));
    const charted = await opened.page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart: { getChart(id: string): { data: { datasets: { data: number[] }[] } } } }).Chart;
      return chart.getChart("chart-steps")!.data.datasets.map((d) => d.data);
    });
    expect(charted).toEqual([report.steps.map((s) => s.meanMs), report.steps.map((s) => s.meanInputTokens)]);
  });

  it("draws every chart: distribution, steps, tokens, cost, both treemaps, the waterfall", async () => {
    const drawn = await opened.page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart: { getChart(id: string): unknown } }).Chart;
      return ["chart-distribution", "chart-steps", "chart-tokens", "chart-cost", "chart-self", "chart-critical", "chart-waterfall"].filter(
        (id) => chart.getChart(id) === undefined,
      );
    });
    expect(drawn).toEqual([]);
  });

  it("renders hostile names as text and runs none of their script", async () => {
    // Run in the page (a string: this program is typed without the DOM library).
    const state = (await opened.page.evaluate(`({
      pwned: globalThis.__pwned,
      injected: document.querySelectorAll("body img, body svg, body script:not([id]):not([src])").length,
      text: document.body.innerText,
    })`)) as { pwned?: number; injected: number; text: string };
    expect(state.pwned).toBeUndefined();
    expect(state.injected).toBe(2); // the page's own two scripts: Chart.js and the chart drawing
    expect(state.text).toContain(HOSTILE_MODEL);
    expect(state.text).toContain(HOSTILE_STEP);
    expect(state.text).toContain(`"><svg onload=window.__pwned=3>`);
  });

  it("links each slowest trace to Jaeger UI's /trace/<id>", async () => {
    const hrefs = await opened.page.locator("#slowest-traces a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual(report.slowestTraces.map((t) => `${JAEGER}/trace/${t.traceId}`));
  });

  it("draws its charts again in dark-on-white for paper, and back for the screen", async () => {
    const { page } = opened;
    // The page hears of a media change by an event, after emulateMedia returns: poll until it has
    // (waitForFunction would evaluate a string in the page, which its CSP forbids).
    const ink = () => page.evaluate("Chart.defaults.color");
    await page.emulateMedia({ media: "print" });
    await expect.poll(ink, { timeout: 20_000 }).toBe("#000000");
    expect(await page.evaluate("Object.keys(Chart.instances).length")).toBe(7);
    await page.emulateMedia({ media: "screen" });
    await expect.poll(ink, { timeout: 20_000 }).toBe("#1f2328");
    expect(await page.evaluate("Object.keys(Chart.instances).length")).toBe(7);
    expect(opened.problems).toEqual([]);
  });

  it("follows a dark colour scheme", async () => {
    const dark = await openOffline(browser, join(outDir, "known.html"), { colorScheme: "dark" });
    try {
      const background = await dark.page.evaluate("getComputedStyle(document.body).backgroundColor");
      expect(background).toBe("rgb(13, 17, 23)");
      expect(dark.problems).toEqual([]);
      await dark.page.screenshot({ path: join(outDir, "known-dark.png"), fullPage: true });
    } finally {
      await dark.close();
    }
  });
});
