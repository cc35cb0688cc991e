// Regenerates docs/report.png: runs the demo (`pnpm demo --html`), opens its HTML report in
// Debian's Chromium with the network off, and captures the top of the page.
//   node scripts/screenshot-report.ts [--dark] [--out docs/report.png]
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchChromium, openOffline } from "@jotty/test-kit/chromium";

const root = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({ options: { dark: { type: "boolean", default: false }, out: { type: "string", default: "docs/report.png" } } });
const workDir = join(root, ".jotty", "screenshot");
mkdirSync(workDir, { recursive: true });

// A path relative to the repository, so the picture names no one's folders.
const demo = spawnSync("pnpm", ["-s", "demo", "--html", "--traces-file", ".jotty/screenshot/traces.jsonl"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, NO_COLOR: "1" },
});
if (demo.status !== 0) {
  process.stderr.write(`screenshot-report: the demo failed (exit ${demo.status})\n`);
  process.exit(1);
}

const browser = await launchChromium();
try {
  const opened = await openOffline(browser, join(workDir, "report.html"), { colorScheme: values.dark ? "dark" : "light", width: 1200, height: 1560 });
  if (opened.problems.length > 0) throw new Error(`the page had problems:\n${opened.problems.join("\n")}`);
  const out = resolve(root, values.out);
  await opened.page.screenshot({ path: out });
  await opened.close();
  process.stderr.write(`screenshot-report: ${out}\n`);
} finally {
  await browser.close();
}
