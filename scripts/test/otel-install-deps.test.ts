// Installing @jotty/otel must not pull in the analyzer's CLI dependencies: the engine the in-process
// report uses lives in @jotty/engine. Walks the installed packages' `dependencies` the way Node
// resolves them (workspace links and pnpm's store alike), so a dependency reached through any
// package, ours or third-party, counts.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CLI_DEPENDENCIES = ["commander", "cli-table3", "picocolors", "chart.js"];

/** The installed directory of `name` as seen from the package in `fromDir` (Node's node_modules walk). */
function installedDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed where ${fromDir} can resolve it`);
  }
}

/** Every package name reachable from the package in `dir` through `dependencies`. */
function reachableDependencies(dir: string): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (packageDir: string): void => {
    if (seen.has(packageDir)) return;
    seen.add(packageDir);
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      names.add(name);
      visit(installedDir(name, packageDir));
    }
  };
  visit(realpathSync(dir));
  return names;
}

describe("@jotty/otel's install footprint", () => {
  it("finds the CLI dependencies from the analyzer (the check can fail)", () => {
    const reachable = reachableDependencies(join(root, "packages/analyzer"));
    expect(CLI_DEPENDENCIES.filter((name) => reachable.has(name))).toEqual(CLI_DEPENDENCIES);
  });

  it("reaches @jotty/engine but none of commander, cli-table3, picocolors, chart.js", () => {
    const reachable = reachableDependencies(join(root, "packages/otel"));
    expect(reachable.has("@jotty/engine")).toBe(true);
    expect(reachable.has("@jotty/analyzer")).toBe(false);
    expect(CLI_DEPENDENCIES.filter((name) => reachable.has(name))).toEqual([]);
  });
});
