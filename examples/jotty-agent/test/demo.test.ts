// `pnpm demo --format json --html` as a user runs it, against a simulator this test owns, so the
// simulator's ledger (what the "provider" really spent) is the ground truth for the report. Then
// the report as a newcomer reads it: its table at 80 and 120 columns, and its HTML page in
// Debian's Chromium with the network off (skipped with one line outside CI without Chromium).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderTable, type Report } from "@jotty/analyzer";
import { startSimulator, type Simulator } from "@jotty/llm-simulator";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium, openOffline, type OfflinePage } from "@jotty/test-kit/chromium";
import { formatCount, formatMs, formatShare, formatUsd } from "@jotty/engine";
import type { AgentSummary } from "../src/agent.ts";
import { demoFaults, expectedSteps, SCENARIOS } from "../src/scenarios.ts";
import { runProcess } from "./run-process.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const TIME_SCALE = 0.1;
const SEED = 1;
const withBrowser = chromiumPath() !== undefined || process.env.CI === "true";
if (!withBrowser) console.log("demo.test: HTML report browser part skipped, no Chromium (apt-get install chromium)");

describe("pnpm demo --format json --html", () => {
  let simulator: Simulator;
  let dir: string;
  let report: Report;
  let summary: AgentSummary;
  let stderr: string;

  beforeAll(async () => {
    simulator = await startSimulator({ timeScale: TIME_SCALE, faults: demoFaults() });
    dir = mkdtempSync(join(tmpdir(), "jotty-demo-test-"));
    const result = await runProcess(
      "pnpm",
      [
        "demo",
        ...["--format", "json", "--html", "--time-scale", String(TIME_SCALE), "--seed", String(SEED)],
        ...["--simulator-url", simulator.url, "--traces-file", join(dir, "traces.jsonl"), "--summary-file", join(dir, "summary.json")],
      ],
      { cwd: repoRoot, env: { NO_COLOR: "1" } },
    );
    stderr = result.stderr;
    expect(result.code, result.stderr).toBe(0);
    // pnpm prints its "> demo" banner first; the report is the JSON document after it
    report = JSON.parse(result.stdout.slice(result.stdout.indexOf("\n{") + 1)) as Report;
    summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as AgentSummary;
  }, 180_000);

  afterAll(async () => {
    await simulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reports an LLM share that covers what the simulator spent, computed exactly from the spans", () => {
    const busyMs = simulator.ledger.busyMs(summary.startedAtMs, summary.endedAtMs);
    const simulatorShare = busyMs / summary.wallMs;
    expect(simulatorShare).toBeGreaterThan(0.5);
    // Each request the simulator served lies inside one llm_call span, so no call was cut short
    // or lost. Only causal bounds, which hold however late either event loop runs: the client
    // sent the request before the server saw it (1 ms: span times are whole milliseconds), and
    // got its last byte after the server had waited out the modelled latency.
    const calls = llmCallIntervals(join(dir, "traces.jsonl"));
    const served = [...simulator.ledger.entries].sort((a, b) => a.startMs - b.startMs);
    expect(calls).toHaveLength(served.length);
    const modelled = served.map((entry, i) => {
      expect(calls[i]!.startMs, `call ${i} starts before the server saw it`).toBeLessThanOrEqual(entry.startMs + 1);
      // A request the client abandoned (the step timeout) ends on the client first.
      if (!entry.aborted) expect(calls[i]!.endMs, `call ${i} ends after the modelled latency`).toBeGreaterThanOrEqual(entry.startMs + entry.modelledMs - 1);
      return { startMs: entry.startMs, endMs: entry.startMs + (entry.aborted ? 0 : entry.modelledMs) };
    });
    // The report's share is the union of those spans over wall time, exactly …
    expect(report.llm.share).toBeCloseTo(unionMs(calls) / report.wallMs, 3);
    // … so never less than the time the simulator spent on them. (It is more by the client's own
    // part of each call — sending, reading — which grows with the machine's load: 0.5–2
    // percentage points here, more when the cores are busy.)
    expect(report.llm.share).toBeGreaterThanOrEqual(unionMs(modelled) / report.wallMs - 0.001);
    expect(Math.abs(report.wallMs - summary.wallMs) / summary.wallMs).toBeLessThan(0.02);
  });

  it("has every configured step once, with the configured retries and timeouts", () => {
    const expected = expectedSteps(SCENARIOS, SEED, true);
    expect(report.steps.map((s) => s.name).sort()).toEqual(expected.map((s) => s.name).sort());
    for (const step of expected) {
      const reported = report.steps.find((s) => s.name === step.name)!;
      expect({ name: step.name, count: reported.count, retries: reported.retries, timeouts: reported.timeouts, failures: reported.failures }).toEqual({
        name: step.name,
        count: 1,
        retries: step.attempts - 1,
        timeouts: step.timeouts,
        failures: 0,
      });
    }
    expect(report.steps.reduce((sum, s) => sum + s.retries, 0)).toBe(2); // one timeout, one failed validation (seed 1)
    expect(report.traces).toBe(3);
  });

  it("counts the tokens the simulator billed, and one LLM call per request", () => {
    const answered = simulator.ledger.entries.filter((e) => e.status === 200 && !e.aborted);
    const sum = (pick: (e: (typeof answered)[number]) => number) => answered.reduce((total, e) => total + pick(e), 0);
    expect(report.llm.inputTokens).toBe(sum((e) => e.promptTokens));
    expect(report.llm.outputTokens).toBe(sum((e) => e.completionTokens));
    expect(report.llm.cacheReadTokens).toBe(sum((e) => e.cachedTokens));
    expect(report.llm.cacheReadTokens).toBeGreaterThan(0);
    // the fetch capture makes one llm_call per HTTP request: one per step attempt, plus the two
    // 429s the openai client retried by itself
    const attempts = expectedSteps(SCENARIOS, SEED, true).reduce((total, s) => total + s.attempts, 0);
    expect(simulator.ledger.entries.filter((e) => e.status === 429)).toHaveLength(2);
    expect(simulator.ledger.entries.filter((e) => e.aborted)).toHaveLength(1); // the request the timeout cut short
    expect(simulator.ledger.entries).toHaveLength(attempts + 2);
    expect(report.llm.calls).toBe(simulator.ledger.entries.length);
    expect(report.llm.costUsd).toBeGreaterThan(0);
  });

  it("numbers steps from 1 as the progress lines do, names workflows, and explains the two 429s", () => {
    const analyze = report.steps.find((s) => s.name === "analyze_findings")!;
    expect(analyze).toMatchObject({ workflow: "Research Task", position: 2 }); // "step 2/3 analyze_findings"
    expect(Math.min(...report.steps.map((s) => s.position))).toBe(1);
    expect(report.recommendations.find((r) => r.kind === "timeouts")?.target).toBe('step 2: analyze_findings ("Research Task")');
    const rateLimits = report.recommendations.filter((r) => r.kind === "rate-limits");
    expect(rateLimits).toHaveLength(1);
    expect(rateLimits[0]!.evidence).toMatch(/^2 of \d+ call\(s\) refused/);
    expect(rateLimits[0]!.id).toBe(`rate-limits:${rateLimits[0]!.target}`);
    // The errors section names them: one row, both calls, their backoff as the finding counts it.
    const refused = report.errors!.filter((e) => e.httpStatus === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ provider: "openai", count: 2 });
    expect(refused[0]!.backoffMs).toBe(Number(/; ([\d.]+) ms of backoff/.exec(rateLimits[0]!.evidence)![1]));
    for (const r of report.recommendations) expect(r.estimatedSavingMs > 0 || r.estimatedSavingUsd > 0, r.id).toBe(true);
  });

  it("shows progress on stderr and the report on stdout", () => {
    expect(stderr).toContain("[Research Task] step 2/3 analyze_findings: attempt 1 timed out");
    expect(stderr).toContain("validate_code: retrying in");
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
      // The openai client's waits after its two 429s are the rate limits' time, not "other".
      expect(report.timeDistribution.map((d) => d.component)).toEqual([
        "LLM calls",
        "tools",
        "rate-limit waits (backoff after 429/529/503)",
        "other (not LLM or tools)",
      ]);
      expect(report.timeDistribution.reduce((sum, d) => sum + d.share, 0)).toBeCloseTo(1, 9);
      expect(report.timeDistribution.reduce((sum, d) => sum + d.ms, 0)).toBeCloseTo(report.wallMs, 2);
      const section = renderTable(report, { width: 80 }).split("Time distribution\n")[1]!.split("\n\n")[0]!;
      const shown = [...section.matchAll(/│ +(\d+\.\d) % │/g)].map((m) => Number(m[1]));
      expect(shown).toHaveLength(4);
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

    it("is what the README's demo excerpt shows: the same lines, rows and findings in the same order", () => {
      const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
      const excerpt = /`pnpm demo` runs[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)![1]!;
      const text = renderTable(report, { width: 120 });
      // What a run cannot change: labels, section titles, row names and finding kinds and targets;
      // not the figures, the bar lengths, or where a long cell is cut or a line wraps.
      const shapes = (lines: string) =>
        lines
          .split("\n")
          .filter((line) => /^(\S|│ [^ ])/.test(line))
          .map((line) =>
            line
              .split("│")
              .map((cell) =>
                cell
                  .replace(/….*$/, "")
                  .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC|(?<=file )\S+/g, "#")
                  .replace(/\$[\d.,]+|\d[\d.,]*( ?(ms|s|%|k|M)\b)?|█+/g, "#")
                  .trim(),
              )
              .filter((cell) => cell !== "" && cell !== "#")
              .join(" | "),
          )
          .filter((shape) => shape !== "");
      const inRun = shapes(text);
      let from = 0;
      for (const shape of shapes(excerpt)) {
        const at = inRun.findIndex((candidate, i) => i >= from && candidate.startsWith(shape));
        expect(at, `README line "${shape}" is not in the demo's report (in this order):\n${inRun.join("\n")}`).toBeGreaterThanOrEqual(0);
        from = at + 1;
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
});

/** The llm_call spans of an OTLP JSON lines file, as epoch-ms intervals in start order. */
function llmCallIntervals(file: string): { startMs: number; endMs: number }[] {
  const calls: { startMs: number; endMs: number }[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const document = JSON.parse(line) as {
      resourceSpans: { scopeSpans: { spans: { name: string; startTimeUnixNano: string; endTimeUnixNano: string }[] }[] }[];
    };
    for (const resource of document.resourceSpans) {
      for (const scope of resource.scopeSpans) {
        for (const span of scope.spans) {
          if (span.name !== "llm_call") continue;
          calls.push({ startMs: Number(BigInt(span.startTimeUnixNano) / 1000n) / 1000, endMs: Number(BigInt(span.endTimeUnixNano) / 1000n) / 1000 });
        }
      }
    }
  }
  return calls.sort((a, b) => a.startMs - b.startMs);
}

/** Total length of the union of intervals (sorted by start). */
function unionMs(intervals: { startMs: number; endMs: number }[]): number {
  let total = 0;
  let end = -Infinity;
  for (const { startMs, endMs } of intervals) {
    if (endMs <= end) continue;
    total += endMs - Math.max(startMs, end);
    end = endMs;
  }
  return total;
}
