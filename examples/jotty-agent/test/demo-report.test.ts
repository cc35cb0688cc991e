// The demo's report as a newcomer reads it: `pnpm demo --html --format json` once, then its table
// at 80 and 120 columns, and its HTML page in Debian's Chromium with the network off.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderTable, type Report } from "@jotty/analyzer";
import { startSimulator, type Simulator } from "@jotty/llm-simulator";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium, openOffline, type OfflinePage } from "../../../scripts/chromium.ts";
import { formatCount, formatMs, formatShare, formatUsd } from "../../../packages/analyzer/src/render/format.ts";
import { demoFaults } from "../src/scenarios.ts";
import { runProcess } from "./run-process.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const TIME_SCALE = 0.1;
const withBrowser = chromiumPath() !== undefined || process.env.CI === "true";
if (!withBrowser) console.log("demo-report.test: browser part skipped, no Chromium (apt-get install chromium)");

let simulator: Simulator;
let dir: string;
let report: Report;
let stderr: string;

beforeAll(async () => {
  simulator = await startSimulator({ timeScale: TIME_SCALE, faults: demoFaults() });
  dir = mkdtempSync(join(tmpdir(), "jotty-demo-report-"));
  const result = await runProcess(
    "pnpm",
    [
      ...["-s", "demo", "--html", "--format", "json", "--time-scale", String(TIME_SCALE), "--seed", "1"],
      ...["--simulator-url", simulator.url, "--traces-file", join(dir, "traces.jsonl"), "--summary-file", join(dir, "summary.json")],
    ],
    { cwd: repoRoot, env: { NO_COLOR: "1" } },
  );
  stderr = result.stderr;
  expect(result.code, result.stderr).toBe(0);
  report = JSON.parse(result.stdout) as Report;
}, 180_000);

afterAll(async () => {
  await simulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the demo's table report", () => {
  for (const width of [80, 120]) {
    it(`fits ${width} columns: no line is wider, nothing is cut`, () => {
      const text = renderTable(report, { width });
      const wide = text.split("\n").filter((line) => line.length > width);
      expect(wide).toEqual([]);
      const words = text.replace(/[│┌┐└┘├┤┬┴┼─\s]+/g, " ");
      for (const b of report.bottlenecks) expect(words).toContain(b.why.split(" ").slice(-3).join(" "));
    });
  }

  it("has a time distribution that is a partition summing to 100 %", () => {
    expect(report.timeDistribution.map((d) => d.component)).toEqual(["LLM calls", "tools", "other (not LLM or tools)"]);
    expect(report.timeDistribution.reduce((sum, d) => sum + d.share, 0)).toBeCloseTo(1, 9);
    expect(report.timeDistribution.reduce((sum, d) => sum + d.ms, 0)).toBeCloseTo(report.wallMs, 2);
    const section = renderTable(report, { width: 80 }).split("Time distribution\n")[1]!.split("\n\n")[0]!;
    const shown = [...section.matchAll(/│ +(\d+\.\d) % │/g)].map((m) => Number(m[1]));
    expect(shown).toHaveLength(3);
    expect(shown.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });

  it("labels the LLM call's HTTP request as its transport", () => {
    const post = report.operations.find((o) => o.name === "POST")!;
    expect(post.llmTransport).toBe(true);
    for (const width of [80, 120]) {
      const text = renderTable(report, { width });
      expect(text).toMatch(/│ POST \(LLM/);
      expect(text.replace(/\s+/g, " ")).toContain("(LLM call transport): the HTTP request inside an LLM call");
    }
  });

  it("says only what happened, in whole tokens", () => {
    const texts = [...report.bottlenecks.map((b) => b.why), ...report.recommendations.map((r) => r.evidence)].join("\n");
    expect(texts).not.toMatch(/\b0 (timeout|retr|failure)/);
    expect(texts).not.toMatch(/timeout\(s\)/);
    expect(texts).not.toMatch(/input tokens \d+\.\d/);
  });
});

describe.skipIf(!withBrowser)("the demo's HTML report in Chromium, network off", () => {
  let browser: Browser;
  let opened: OfflinePage;

  beforeAll(async () => {
    const file = join(dir, "report.html");
    expect(existsSync(file)).toBe(true);
    expect(stderr).toContain(`demo: HTML report → ${file}`);
    browser = await launchChromium();
    opened = await openOffline(browser, file);
    const shots = join(repoRoot, ".jotty", "browser");
    mkdirSync(shots, { recursive: true });
    await opened.page.screenshot({ path: join(shots, "demo.png"), fullPage: true });
  });

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
  });

  it("loads with no console error, page error, dialog or request", () => {
    expect(opened.problems).toEqual([]);
  });

  it("shows the JSON report's LLM share, cost and calls", async () => {
    const figure = (id: string) => opened.page.locator(`[data-figure="${id}"]`).textContent();
    expect(await figure("llm-share")).toBe(formatShare(report.llm.share));
    expect(await figure("llm-critical-share")).toBe(formatShare(report.llm.criticalShare));
    expect(await figure("cost")).toBe(formatUsd(report.llm.costUsd));
    expect(await figure("llm-calls")).toBe(formatCount(report.llm.calls));
  });

  it("shows the JSON report's step durations, in the table and in the chart", async () => {
    const means = await opened.page.locator('#steps-by-position td[data-col="Mean"]').allTextContents();
    expect(means).toEqual(report.steps.map((s) => formatMs(s.meanMs)));
    const charted = await opened.page.evaluate(`Chart.getChart("chart-steps").data.datasets[0].data`);
    expect(charted).toEqual(report.steps.map((s) => s.meanMs));
  });
});
