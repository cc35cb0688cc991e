// Telemetry files may hold prompts (content capture) and source paths: created readable by the
// owner only (files 0600, folders 0700). Existing files and folders keep their modes.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
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

/**
 * Appends to `path` whole or not at all, creating it 0600 when missing (its folder must exist:
 * makePrivateDirs). A write that fails part-way (a full disk, a file size limit) is truncated back
 * to where the append began, so the file never holds half a line with the next append glued to
 * it; the error is thrown after that.
 */
export function appendPrivateFileSync(path: string, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  const fd = openSync(path, "a", PRIVATE_FILE_MODE);
  try {
    const start = fstatSync(fd).size;
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      try {
        ftruncateSync(fd, start);
      } catch {
        // Nothing more can be done: the write's error says what happened.
      }
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes `path` whole, created 0600 in folders created 0700. */
export function writePrivateFileSync(path: string, text: string): void {
  makePrivateDirs(dirname(path));
  writeFileSync(path, text, { mode: PRIVATE_FILE_MODE });
}
