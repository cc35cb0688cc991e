// What is left to query after a full page: the rest of the window below the page's oldest trace
// when the page came newest first (Badger), both halves again otherwise.
import { describe, expect, it } from "vitest";
import { newestFirst, nextWindows, type Window } from "../../src/sources/jaeger-windows.js";

const us = (n: number) => BigInt(n) * 1000n;
const window: Window = { service: "agent", minNs: us(0), maxNs: us(1_000_000) };

describe("nextWindows", () => {
  it("a newest-first page leaves [min, its oldest trace], split in the stretch it covered and the rest", () => {
    const next = nextWindows(window, { latestStarts: [us(999_000), us(950_000), us(900_000) + 123n] });
    // The rest ends at 900,002 µs (two microseconds of margin); the stretch below it is as wide as the page covered.
    expect(next).toEqual({
      windows: [
        { service: "agent", minNs: us(800_003), maxNs: us(900_002) - 1n },
        { service: "agent", minNs: us(0), maxNs: us(800_003) - 1n },
      ],
    });
  });

  it("the rest keeps the oldest trace's microsecond and the next (ties, and startNs read as a double)", () => {
    const next = nextWindows(window, { latestStarts: [us(999_999), us(999_990)] });
    expect("windows" in next && next.windows[0]!.maxNs).toBe(us(999_992) - 1n);
  });

  it("a page whose oldest trace is near the window's start leaves one window", () => {
    expect(nextWindows(window, { latestStarts: [us(600_000), us(400)] })).toEqual({ windows: [{ service: "agent", minNs: us(0), maxNs: us(402) - 1n }] });
  });

  it("a page not in newest-first order (the memory store) is split in halves", () => {
    expect(nextWindows(window, { latestStarts: [us(10), us(900_000), us(5)] })).toEqual({
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
    expect(nextWindows(window, { latestStarts: [us(999_999), us(999_999)] })).toMatchObject({ windows: [{ maxNs: us(500_000) }, { minNs: us(500_000) }] });
    expect(nextWindows({ ...window, maxNs: us(1) }, { latestStarts: [us(1), us(1)] })).toEqual({ tooDense: true });
  });
});
