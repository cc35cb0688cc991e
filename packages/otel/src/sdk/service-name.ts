import { readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";

export const DEFAULT_SERVICE_NAME = "jotty";

/**
 * The app's package name: the nearest package.json with a "name" above the main module, else
 * above the working directory. A main module inside node_modules (a test runner, a loader) is
 * not the app, so it is skipped.
 */
export function findAppPackageName(mainPath: string | undefined = process.argv[1], cwd = process.cwd()): string | undefined {
  const starts: string[] = [];
  if (mainPath && !mainPath.split(/[\\/]/).includes("node_modules")) starts.push(dirname(resolve(cwd, mainPath)));
  starts.push(resolve(cwd));
  for (const start of starts) {
    const name = nearestPackageName(start);
    if (name) return name;
  }
  return undefined;
}

function nearestPackageName(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (dir.split(sep).at(-1) !== "node_modules") {
      const name = readName(join(dir, "package.json"));
      if (name) return name;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readName(file: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name;
    return typeof name === "string" && name.trim() !== "" ? name.trim() : undefined;
  } catch {
    return undefined;
  }
}
