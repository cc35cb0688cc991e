// Puts segment windows on the profile's clock.
//
// V8 stamps profile samples with base::TimeTicks, which on Linux is CLOCK_MONOTONIC in µs; so is
// libuv's uv_hrtime behind process.hrtime and performance.now(). Checked on Node 24.21: a
// profile's startTime differs from process.hrtime.bigint()/1000 read just before the start by
// ~60 µs (the start call itself), so they are one clock and one offset read at start converts.
//
// Span times are not on that clock: the OpenTelemetry SDK (sdk-trace 3.1, Span constructor)
// takes a span's start from Date.now() — wall clock, whole milliseconds — and its end as that
// start plus a performance.now() duration. Converting them would shift windows by up to 1 ms
// (more after an NTP step), enough to misplace samples and to make back-to-back segments look
// concurrent. So the profiler reads performance.now() itself when a segment starts (onStart runs
// inside the span's constructor) and ends the window after the span's own duration. Span times
// are converted only for spans that started before the profiler did.
import type { HrTime } from "@opentelemetry/api";

export interface ProfileClock {
  /** Profile µs minus performance.now() µs. */
  perfOffsetUs: number;
  /** Profile µs minus Date.now() µs (the wall clock spans start on), good to ~1 ms. */
  wallOffsetUs: number;
}

// Two clocks cannot be read at once: performance.now() is bracketed by two hrtime reads and the
// tightest of a few tries is kept, so a pause between reads (GC, preemption) cannot shift every window.
const CLOCK_READS = 5;

export function readProfileClock(): ProfileClock {
  let tightestUs = Infinity;
  let perfOffsetUs = 0;
  let wallOffsetUs = 0;
  for (let i = 0; i < CLOCK_READS; i++) {
    const beforeUs = Number(process.hrtime.bigint()) / 1000;
    const perfUs = performance.now() * 1000;
    const wallUs = Date.now() * 1000;
    const afterUs = Number(process.hrtime.bigint()) / 1000;
    if (afterUs - beforeUs < tightestUs) {
      tightestUs = afterUs - beforeUs;
      const midUs = (beforeUs + afterUs) / 2;
      perfOffsetUs = midUs - perfUs;
      wallOffsetUs = midUs - wallUs;
    }
  }
  return { perfOffsetUs, wallOffsetUs };
}

export function nowProfileUs(clock: ProfileClock): number {
  return performance.now() * 1000 + clock.perfOffsetUs;
}

export function hrTimeUs(time: HrTime): number {
  return time[0] * 1e6 + time[1] / 1e3;
}

/** An SDK span time (epoch, from Date.now()) on the profile clock, within ~1 ms. */
export function spanTimeToProfileUs(clock: ProfileClock, time: HrTime): number {
  return hrTimeUs(time) + clock.wallOffsetUs;
}
