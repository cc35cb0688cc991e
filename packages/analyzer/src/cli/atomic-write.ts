// --output: the report goes to a temporary file beside the target, synced, then renamed over it,
// so a full disk or a killed process leaves the previous file (or none), never half a report.
// Hand-written rather than write-file-atomic: that package renames over whatever the path names,
// and `--output /dev/stdout` (a device, a pipe) must be written in place, not replaced.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeFileAtomic(path: string, text: string): void {
  const existing = statOrUndefined(path);
  if (existing !== undefined && !existing.isFile()) {
    writeFileSync(path, text);
    return;
  }
  // Through a symlink, the file it points at is replaced, not the link.
  const target = existing !== undefined ? realpathSync(path) : path;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", existing !== undefined ? existing.mode & 0o777 : 0o666);
    const bytes = Buffer.from(text, "utf8");
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
    throw error;
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
