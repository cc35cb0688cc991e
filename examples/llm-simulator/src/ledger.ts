/** What the simulator spent on one request, measured on the server from arrival to the last byte. */
export interface LedgerEntry {
  n: number;
  model: string;
  stream: boolean;
  status: number;
  fault?: string;
  /** The client went away before the response was complete (a timeout or a cancel). */
  aborted: boolean;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Epoch ms. */
  startMs: number;
  endMs: number;
  /** endMs − startMs. */
  ms: number;
  /** What the latency model asked for (scaled), before timer and I/O slack. */
  modelledMs: number;
}

export class Ledger {
  readonly entries: LedgerEntry[] = [];
  /** Completion requests that arrived (recorded or still in flight). */
  received = 0;
  readonly #waiters: { ready: () => boolean; resolve: () => void }[] = [];

  receive(): number {
    this.received++;
    this.#wake();
    return this.received;
  }

  record(entry: LedgerEntry): void {
    this.entries.push(entry);
    this.#wake();
  }

  /** Resolves once `count` requests have been recorded (a request is recorded when its connection closes). */
  whenCount(count: number): Promise<void> {
    return this.#when(() => this.entries.length >= count);
  }

  /** Resolves once `count` completion requests have arrived. */
  whenReceived(count: number): Promise<void> {
    return this.#when(() => this.received >= count);
  }

  #when(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.ready()) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Sum of the requests' durations. */
  totalMs(): number {
    return this.entries.reduce((sum, e) => sum + e.ms, 0);
  }

  /** Time during which at least one request was in flight (the union of the intervals), optionally within [fromMs, toMs]. */
  busyMs(fromMs = -Infinity, toMs = Infinity): number {
    const intervals = this.entries
      .map((e) => [Math.max(e.startMs, fromMs), Math.min(e.endMs, toMs)] as const)
      .filter(([s, e]) => e > s)
      .sort((a, b) => a[0] - b[0]);
    let busy = 0;
    let end = -Infinity;
    for (const [s, e] of intervals) {
      if (e <= end) continue;
      busy += e - Math.max(s, end);
      end = e;
    }
    return busy;
  }
}
