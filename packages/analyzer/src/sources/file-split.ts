// Cuts a JSON-lines file into byte ranges that start and end at line boundaries, one per
// worker: each cut moves forward to just after the next newline.
import { open } from "node:fs/promises";
import type { ByteRange } from "./file-chunks.js";

const PROBE_BYTES = 1 << 16;

/** At most `parts` non-empty ranges covering the file, each a whole number of lines. */
export async function splitAtLines(path: string, parts: number): Promise<ByteRange[]> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const cuts = [0];
    const probe = Buffer.alloc(PROBE_BYTES);
    for (let i = 1; i < parts; i++) {
      let at = Math.max(Math.floor((size * i) / parts), cuts[cuts.length - 1]!);
      // The cut goes after the first newline at or after `at - 1`: a range never splits a line.
      for (at = Math.max(0, at - 1); at < size; at += PROBE_BYTES) {
        const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at);
        const newline = probe.subarray(0, bytesRead).indexOf(10);
        if (newline >= 0) {
          at += newline + 1;
          break;
        }
      }
      cuts.push(Math.min(at, size));
    }
    cuts.push(size);
    const ranges: ByteRange[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1]! > cuts[i]!) ranges.push({ start: cuts[i]!, end: cuts[i + 1]! });
    return ranges;
  } finally {
    await handle.close();
  }
}
