// Reading a traces file (or a byte range of it) chunk by chunk; only read errors become the
// file's SourceError.
import { createReadStream } from "node:fs";
import { SourceError } from "./errors.js";

/** A byte range of a file: [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Hands each chunk of the file (or of `range`) to `consume`. */
export async function readChunks<T extends string | Buffer>(
  path: string,
  encoding: BufferEncoding | undefined,
  consume: (chunk: T, first: boolean) => void,
  range?: ByteRange,
): Promise<void> {
  if (range !== undefined && range.end <= range.start) return;
  const bounds = range === undefined ? {} : { start: range.start, end: range.end - 1 }; // createReadStream's end is inclusive
  const input = createReadStream(path, { highWaterMark: 1 << 20, encoding, ...bounds });
  const chunks = input[Symbol.asyncIterator]();
  try {
    for (let first = true; ; first = false) {
      let next: IteratorResult<T>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw new SourceError(`cannot read traces file ${path}: ${describe(error)}`);
      }
      if (next.done === true) return;
      consume(next.value, first);
    }
  } finally {
    input.destroy();
  }
}

export function describe(error: unknown): string {
  if (error !== null && typeof error === "object" && "code" in error && error.code === "ENOENT") return "no such file";
  if (error !== null && typeof error === "object" && "code" in error && error.code === "EISDIR") return "is a directory";
  return error instanceof Error ? error.message : String(error);
}
