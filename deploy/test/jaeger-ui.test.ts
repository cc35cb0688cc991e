// The real Jaeger UI on the native stack, in a real browser: `pnpm stack up` with JOTTY_JAEGER_UI
// serves the built UI (a Go-module Jaeger has only a placeholder page), a demo run arrives over
// OTLP, and the UI finds the service and the llm_call operation, shows an llm_call span's GenAI
// usage and cost tags, and opens the trace link the analyzer printed.
// Runs under CI=true (Chromium from Debian, the UI build in ../shared/jaeger-ui or JOTTY_JAEGER_UI);
// elsewhere it skips with one line when either is missing.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium } from "@jotty/test-kit/chromium";
import { repoDir } from "../native/binaries.ts";
import { isProcessAlive as alive } from "../native/process-alive.ts";
import { analyzeJaeger } from "./helpers/analyze.ts";
import { runDemo } from "./helpers/demo-run.ts";
import { poll, type StoredSpan } from "./helpers/query.ts";
import { skipStackTests } from "./helpers/stack-guard.ts";

const uiDir = resolve(process.env.JOTTY_JAEGER_UI ?? join(repoDir, "..", "shared", "jaeger-ui"));
const missing = [
  chromiumPath() ? "" : "Chromium (apt-get install -y chromium)",
  existsSync(join(uiDir, "index.html")) ? "" : `a Jaeger UI build in ${uiDir} (JOTTY_JAEGER_UI)`,
].filter(Boolean);
const skip = skipStackTests || (missing.length > 0 && process.env.CI !== "true");
if (missing.length > 0 && skip && !skipStackTests) console.warn(`deploy/test: Jaeger UI browser test skipped, missing ${missing.join(" and ")}`);

const scratch = mkdtempSync(join(tmpdir(), "jotty-jaeger-ui-"));
const env = {
  ...process.env,
  JOTTY_STACK_RUN_DIR: join(scratch, "run"),
  JOTTY_STACK_DATA_DIR: join(scratch, "data"),
  JOTTY_STACK_PORTS: "free",
  JOTTY_JAEGER_UI: uiDir,
};
const cli = join(repoDir, "deploy", "native", "stack-cli.ts");
// Screenshots for a human to look at (git ignores .jotty/).
const artifacts = join(repoDir, ".jotty", "test-artifacts");
mkdirSync(artifacts, { recursive: true });

describe.skipIf(skip)("Jaeger UI in a browser (native stack with JOTTY_JAEGER_UI)", () => {
  const service = `jotty-ui-${randomUUID().slice(0, 8)}`;
  let urls: Record<string, string> = {};
  let pids: number[] = [];
  let browser: Browser | undefined;
  let page: Page;
  let traceLink = "";
  let demoSpans: StoredSpan[] = [];

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [cli, "up"], { env, timeout: 120_000 });
    const state = JSON.parse(readFileSync(join(scratch, "run", "stack.json"), "utf8")) as { pids: Record<string, number>; urls: Record<string, string> };
    ({ urls } = state);
    pids = Object.values(state.pids);
    demoSpans = (await runDemo(urls.otlp!, service, scratch)).spans;
    const traces = new Set(demoSpans.map((s) => s.traceId)).size;
    // The analyzer reads the run back from Jaeger and prints a link per slow trace.
    const report = await poll("the demo's traces in Jaeger", 60_000, async () => {
      const { report } = await analyzeJaeger(urls.jaeger!, service);
      return report!.traces === traces ? report : undefined;
    });
    traceLink = report!.slowestTraces[0]!.url;
    browser = await launchChromium();
    page = await browser.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await promisify(execFile)(process.execPath, [cli, "down"], { env, timeout: 60_000 }).catch(() => undefined);
    for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
    rmSync(scratch, { recursive: true, force: true });
  });

  it("serves the built UI, not the placeholder", async () => {
    const html = await (await fetch(`${urls.jaeger}/search`)).text();
    expect(html).toContain(readFileSync(join(uiDir, "index.html"), "utf8").match(/static\/index-[\w-]+\.js/)![0]);
  });

  it("finds the service and the llm_call operation, and shows an llm_call span's usage and cost tags", async () => {
    await page.goto(`${urls.jaeger}/search`);
    // The search form lists the service (from /api/services) and, for it, the llm_call operation.
    await page.getByText("Service", { exact: false }).first().waitFor();
    await page.goto(`${urls.jaeger}/search?service=${service}&operation=llm_call&lookback=1h&limit=20`);
    const results = page.locator(".ResultItemTitle");
    await results.first().waitFor({ timeout: 30_000 });
    expect(await results.count()).toBeGreaterThan(0);
    await results.first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]+/);
    const llmRow = page.locator(".span-row", { hasText: "llm_call" }).first();
    await llmRow.locator(".span-name").click();
    // Expanded, the span shows "Tags:"; opened, a key/value table. Its values are the run's own.
    await page.getByText("Tags:").first().click();
    const rows = page.locator(".KeyValueTable--row");
    await rows.first().waitFor();
    await page.screenshot({ path: join(artifacts, "jaeger-ui-llm-call.png"), fullPage: true });
    const tags = new Map<string, string>();
    for (const row of await rows.all()) {
      tags.set((await row.locator(".KeyValueTable--keyColumn").innerText()).trim(), (await row.locator(".KeyValueTable--valueColumn").innerText()).trim());
    }
    // The provider's response id names the call; its usage and cost tags are the run's own figures.
    const span = demoSpans.find((s) => s.name === "llm_call" && s.attributes["gen_ai.response.id"] === tags.get("gen_ai.response.id"));
    expect(span, `the demo's llm_call with response id ${tags.get("gen_ai.response.id")}`).toBeDefined();
    for (const key of ["gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cost"]) {
      expect(tags.get(key), `${key} in ${JSON.stringify([...tags])}`).toBeDefined();
      expect(Number(tags.get(key)), key).toBe(Number(span!.attributes[key]));
    }
  }, 120_000);

  it("opens the trace link the analyzer printed on that trace", async () => {
    expect(traceLink).toMatch(new RegExp(`^${urls.jaeger}/trace/[0-9a-f]{32}$`));
    const traceId = traceLink.split("/").at(-1)!;
    await page.goto(traceLink);
    await page.locator(".span-row").first().waitFor({ timeout: 30_000 });
    expect(page.url()).toContain(traceId);
    // The trace page header shows the trace id's first 7 characters.
    expect(await page.locator("body").innerText()).toContain(traceId.slice(0, 7));
  }, 120_000);
});
