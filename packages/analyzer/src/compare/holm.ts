// Holm's step-down correction: a comparison runs dozens of tests (each step and model, each
// figure), and at 5 % each a steady window would raise an alarm most of the time. Adjusted
// p-values keep the chance of any false alarm in the whole comparison at alpha. A few lines,
// so written here rather than adding a dependency for it.

/** Holm-adjusted p-values, in the order given. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
