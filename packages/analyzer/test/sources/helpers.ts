import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Span } from "@jotty/engine";
import { readTraceFile, type FileReadOptions, type FileReadResult } from "../../src/sources/file.js";
import { WarningLog } from "../../src/sources/warnings.js";

export const fixtures = fileURLToPath(new URL("../../../../fixtures/", import.meta.url));

export async function readFile(path: string, options?: FileReadOptions): Promise<{ spans: Span[]; result: FileReadResult; warnings: string[] }> {
  const spans: Span[] = [];
  const log = new WarningLog();
  const result = await readTraceFile(path, (s) => spans.push(s), log, options);
  return { spans, result, warnings: log.lines() };
}

/** A temp dir for files a test writes; removed by the returned cleanup. */
export function tempDir(): { dir: string; write(name: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "jotty-analyzer-"));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
