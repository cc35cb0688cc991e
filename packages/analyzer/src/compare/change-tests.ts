// Changes whose significance is decided together: each is tested on its per-run samples as it
// is made, then the whole family is Holm-adjusted and compared with alpha.
import { holmAdjust } from "./holm.js";
import { mannWhitneyU } from "./mann-whitney.js";
import { roundShare } from "./figures.js";
import type { Change } from "./types.js";

export class ChangeTests {
  private readonly tested: { change: Change; p: number }[] = [];

  constructor(private readonly alpha: number) {}

  /** A change from baseline to current; tested when per-run samples are given. */
  change(baseline: number, current: number, round: (x: number) => number, samples?: [readonly number[], readonly number[]]): Change {
    const change: Change = {
      baseline: round(baseline),
      current: round(current),
      change: round(current - baseline),
      ratio: baseline !== 0 ? roundShare(current / baseline) : null,
      pValue: null,
      significant: false,
    };
    const test = samples && mannWhitneyU(samples[1], samples[0]);
    if (test !== undefined && !test.degenerate) this.tested.push({ change, p: test.pValue });
    return change;
  }

  /** A second view of an already tested figure (p95 next to p50) shares its test. */
  sameTest(baseline: number, current: number, round: (x: number) => number, of: Change): Change {
    const change = this.change(baseline, current, round);
    this.shared.push([change, of]);
    return change;
  }

  private readonly shared: [Change, Change][] = [];

  /** Sets pValue and significant on every tested change; returns how many tests there were. */
  settle(): number {
    const adjusted = holmAdjust(this.tested.map((t) => t.p));
    this.tested.forEach(({ change }, i) => {
      change.pValue = Number(adjusted[i]!.toPrecision(4));
      change.significant = adjusted[i]! < this.alpha;
    });
    for (const [change, of] of this.shared) {
      change.pValue = of.pValue;
      const moved = change.ratio === null ? change.change !== 0 : Math.abs(change.ratio - 1) >= 0.01;
      change.significant = of.significant && moved && Math.sign(change.change) === Math.sign(of.change);
    }
    return this.tested.length;
  }
}
