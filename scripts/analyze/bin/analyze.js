#!/usr/bin/env node
// `pnpm analyze …` from the workspace root: bring packages/analyzer/dist up to date (tsc -b is
// a no-op when it is), then hand the arguments to the jotty-analyze CLI. Build output goes to
// stderr so stdout carries only the report.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc", { paths: [root] });
const build = spawnSync(process.execPath, [tsc, "-b", "packages/analyzer"], { cwd: root, stdio: ["ignore", 2, 2] });
if (build.status !== 0) {
  process.stderr.write("analyze: building packages/analyzer failed (see above)\n");
  process.exit(build.status ?? 1);
}
await import(new URL("packages/analyzer/dist/cli.js", `file://${root}`).href);
