// Problems in the input that do not stop a report: counted per kind so a million bad spans
// become one line, with the first place each kind was seen.

/** Problems in the input file or API answer, per kind; the engine's TraceIssueLog counts problems in linking traces. */
export class WarningLog {
  private readonly kinds = new Map<string, { count: number; first: string }>();

  add(kind: string, where: string): void {
    const seen = this.kinds.get(kind);
    if (seen) seen.count++;
    else this.kinds.set(kind, { count: 1, first: where });
  }

  state(): Map<string, { count: number; first: string }> {
    return this.kinds;
  }

  /** Folds in a later part's problems; `where` rewrites the places it names (a part's line numbers). */
  merge(state: Map<string, { count: number; first: string }>, where: (at: string) => string = (at) => at): void {
    for (const [kind, { count, first }] of state) {
      const seen = this.kinds.get(kind);
      if (seen) seen.count += count;
      else this.kinds.set(kind, { count, first: where(first) });
    }
  }

  get size(): number {
    return this.kinds.size;
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [kind, { count, first }] of this.kinds) {
      out.push(count === 1 ? `${kind} (${first})` : `${kind}: ${count} times (first at ${first})`);
    }
    return out;
  }
}
