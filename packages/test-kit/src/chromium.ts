// Opens a local HTML file in Debian's Chromium (driven by playwright-core, no browser download)
// with the network cut off, recording everything that went wrong: console errors, page errors,
// dialogs, and any request that tried to leave the file. Used by the HTML report's browser tests
// and by scripts/screenshot-report.ts.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The system Chromium (JOTTY_CHROMIUM overrides), or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  const chosen = process.env.JOTTY_CHROMIUM;
  if (chosen) return chosen;
  return CANDIDATES.find((path) => existsSync(path));
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error(`no Chromium found (${CANDIDATES.join(", ")}); apt-get install chromium`);
  // Root (CI, containers) cannot use Chromium's sandbox; a container's small /dev/shm crashes tabs.
  const args = ["--disable-dev-shm-usage", ...(process.getuid?.() === 0 ? ["--no-sandbox"] : [])];
  return chromium.launch({ executablePath, args });
}

export interface OfflinePage {
  page: Page;
  /** Console errors, page errors, dialogs and blocked or failed requests, one line each. */
  problems: string[];
  close(): Promise<void>;
}

export async function openOffline(
  browser: Browser,
  file: string,
  options: { colorScheme?: "light" | "dark"; width?: number; height?: number } = {},
): Promise<OfflinePage> {
  const context = await browser.newContext({
    offline: true,
    colorScheme: options.colorScheme ?? "light",
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  const problems: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    problems.push(`request blocked: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems, close: () => context.close() };
}
