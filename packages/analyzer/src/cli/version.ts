// The installed package's own version, for --version: read from its package.json at run time, so
// a release never prints a version the build forgot to update (dist/cli/ and src/cli/ are both
// two folders below the package root).
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}
