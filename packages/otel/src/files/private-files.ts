// Telemetry files may hold prompts (content capture) and source paths: created readable by the
// owner only (files 0600, folders 0700). Existing files and folders keep their modes.
import { appendFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` and its missing parents, 0700. Walks the path itself instead of calling
 * mkdirSync({ recursive: true }), which never returns for a path under /proc
 * (e.g. /proc/1/nope: mkdir keeps answering ENOENT and Node keeps retrying). Bounded by the
 * path's depth; throws the first error.
 */
export function makePrivateDirs(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw Object.assign(new Error(`not a directory: ${current}`), { code: "ENOTDIR" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, { mode: PRIVATE_DIR_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Appends to `path`, creating it 0600 when missing (its folder must exist: makePrivateDirs). */
export function appendPrivateFileSync(path: string, text: string): void {
  appendFileSync(path, text, { mode: PRIVATE_FILE_MODE });
}

/** Writes `path` whole, created 0600 in folders created 0700. */
export function writePrivateFileSync(path: string, text: string): void {
  makePrivateDirs(dirname(path));
  writeFileSync(path, text, { mode: PRIVATE_FILE_MODE });
}
