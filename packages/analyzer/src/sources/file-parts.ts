// A JSON-lines traces file read in parts at once, one worker thread each, merged into one
// report. Parts are cut at line boundaries; a trace that straddles a cut is moved whole into the
// part where it began before either part analyses it, so it is counted once and analysed as in
// one pass. What cannot be merged exactly (PartsNotMergeable) makes the caller read the file in
// one pass instead.
import type { Report } from "@jotty/engine";
import { createPartBuilder, PartsNotMergeable, type HeldTrace } from "@jotty/engine/engine";
import { SourceError } from "./errors.js";
import { fileLines, type PartOptions, type PartRead, type PartResult } from "./file-part.js";
import type { WarningLog } from "./warnings.js";

/** A part in this thread or behind a worker: the same calls, asynchronous. */
export interface Part {
  read(): Promise<PartRead>;
  seen(traceIds: string[], afterHead: boolean): Promise<string[]>;
  take(traceIds: string[]): Promise<HeldTrace[]>;
  add(traces: HeldTrace[]): Promise<void>;
  finish(): Promise<PartResult>;
  /** Frees the part (a worker's heap) once its state is taken. */
  close?(): Promise<void>;
}

export async function reportFromParts(path: string, parts: Part[], options: PartOptions, warnings: WarningLog): Promise<{ report: Report; spans: number }> {
  const reads = await Promise.all(parts.map((p) => p.read()));
  const held = reads.map((r) => new Set(r.tail));
  const analysed = reads.map((r) => new Set(r.recent));
  // A trace an earlier part holds at its end and this part saw after its head, or one an earlier
  // part analysed and this part saw at all, would be counted twice: such a file is read in one pass.
  for (let k = 1; k < parts.length; k++) {
    const head = new Set(reads[k]!.head);
    const heldBefore = new Set(held.slice(0, k).flatMap((ids) => [...ids]));
    const late = [...heldBefore].filter((id) => !head.has(id));
    const back = [...new Set(analysed.slice(0, k).flatMap((ids) => [...ids]))].filter((id) => !heldBefore.has(id));
    if (reads[k]!.headOverflow) throw new PartsNotMergeable("traces at a cut outgrew the head window");
    if ((late.length > 0 && (await parts[k]!.seen(late, true)).length > 0) || (back.length > 0 && (await parts[k]!.seen(back, false)).length > 0)) {
      throw new PartsNotMergeable("a trace of an earlier part came back after the next part's head");
    }
  }
  // From the last part back, each head trace held by an earlier part moves to the nearest such
  // part, so a trace over several parts (or skipping one) ends up whole in the first of them.
  for (let k = parts.length - 1; k >= 1; k--) {
    const here = reads[k]!;
    const moves = new Map<number, string[]>();
    for (const id of here.head) {
      let j = k - 1;
      while (j >= 0 && !held[j]!.has(id)) j--;
      if (j < 0) continue;
      const ids = moves.get(j);
      if (ids === undefined) moves.set(j, [id]);
      else ids.push(id);
    }
    for (const [j, ids] of moves) await parts[j]!.add(await parts[k]!.take(ids));
  }
  // One part's state at a time, its worker closed before the next one hands over: the merged
  // state, one part's copy in flight and the idle heaps of the rest is the peak.
  const builder = createPartBuilder(options);
  let linesBefore = 0;
  let spans = 0;
  let good = 0;
  let bad = 0;
  let firstBad = 0;
  for (let k = 0; k < parts.length; k++) {
    const read = reads[k]!;
    const { state, warnings: partWarnings } = await parts[k]!.finish();
    await parts[k]!.close?.();
    // A part's share of the pending window is smaller than one pass's: a trace it analysed in parts might have been whole.
    if (parts.length > 1 && state.analysed.splitTraces > 0) throw new PartsNotMergeable("a part analysed a trace in parts");
    builder.merge(state);
    const base = linesBefore;
    warnings.merge(partWarnings, (at) => fileLines(at, base));
    if (firstBad === 0 && read.firstBad > 0) firstBad = read.firstBad + base;
    spans += read.spans;
    good += read.good;
    bad += read.bad;
    linesBefore += read.lines;
  }
  if (good === 0 && bad > 0) throw new SourceError(`${path}: no readable trace data (${bad} line(s), first bad at line ${firstBad})`);
  return { report: builder.finish(), spans };
}
