// What is left to query after a full page: the rest of the window below the page's oldest trace
// when the page came newest first (Badger), both halves again otherwise.
import { describe, expect, it } from "vitest";
import { newestFirst, remainderOf, type Window } from "../../src/sources/jaeger-windows.js";

const us = (n: number) => BigInt(n) * 1000n;
const window: Window = { service: "agent", minNs: us(0), maxNs: us(1_000_000) };

describe("remainderOf", () => {
  it("a newest-first page leaves [min, its oldest trace], and says how wide a stretch it covered", () => {
    // The rest ends at 900,002 µs: two microseconds of margin past the oldest trace's.
    expect(remainderOf(window, { latestStarts: [us(999_000), us(950_000), us(900_000) + 123n] })).toEqual({
      window: { service: "agent", minNs: us(0), maxNs: us(900_002) - 1n },
      coveredNs: us(1_000_000) - us(900_002) + 1n,
    });
  });

  it("the rest keeps the oldest trace's microsecond and the next (ties, and startNs read as a double)", () => {
    const rest = remainderOf(window, { latestStarts: [us(999_999), us(999_990)] });
    expect("window" in rest && rest.window.maxNs).toBe(us(999_992) - 1n);
  });

  it("a page not in newest-first order (the memory store) is split in halves", () => {
    expect(remainderOf(window, { latestStarts: [us(10), us(900_000), us(5)] })).toEqual({
      windows: [
        { service: "agent", minNs: us(0), maxNs: us(500_000) },
        { service: "agent", minNs: us(500_000), maxNs: us(1_000_000) },
      ],
    });
  });

  it("a trace without a span of the service in the window makes the page unordered", () => {
    expect(newestFirst({ latestStarts: [us(9), undefined, us(5)] })).toBe(false);
    expect(newestFirst({ latestStarts: [us(9), us(9) + 999n, us(5)] })).toBe(true);
  });

  it("a full page within the window's last microsecond halves, and a 1 µs window is too dense", () => {
    expect(remainderOf(window, { latestStarts: [us(999_999), us(999_999)] })).toMatchObject({ windows: [{ maxNs: us(500_000) }, { minNs: us(500_000) }] });
    expect(remainderOf({ ...window, maxNs: us(1) }, { latestStarts: [us(1), us(1)] })).toEqual({ tooDense: true });
  });
});
