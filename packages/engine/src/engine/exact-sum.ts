// A sum of many small doubles without the drift of `+=`: a million calls of $0.00045 add up to
// $450.000000001 with `+=` (past the report's 1e-9 rounding), to $450 here (Neumaier's
// compensated summation: the low-order bits each addition loses are kept and added back).

export class ExactSum {
  private sum = 0;
  private lost = 0;

  add(x: number): void {
    const t = this.sum + x;
    this.lost += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.lost;
  }
}
