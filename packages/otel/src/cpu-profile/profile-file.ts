// Where the `.cpuprofile` goes and how it is written.
import { renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { writePrivateFileSync } from "../files/private-files.js";
import type { CpuProfile } from "./types.js";

export const DEFAULT_PROFILE_DIR = "./.jotty/profiles";

export function profilePath(dir: string, serviceName: string, startedAt: Date): string {
  const service = serviceName.replace(/[^A-Za-z0-9._-]+/g, "_") || "unknown_service";
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return resolve(join(dir, `${service}-${process.pid}-${stamp}.cpuprofile`));
}

/**
 * Synchronous so it also works in the process "exit" hook; a reader never sees half a file. The
 * file is created 0600 and missing folders 0700 (source paths and script URLs are in it).
 */
export function writeProfileFile(path: string, profile: CpuProfile): void {
  const partial = `${path}.partial`;
  writePrivateFileSync(partial, JSON.stringify(profile));
  renameSync(partial, path);
}
