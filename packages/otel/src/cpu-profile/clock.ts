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

export function readProfileClock(): ProfileClock {
  const profileUs = Number(process.hrtime.bigint()) / 1000;
  return { perfOffsetUs: profileUs - performance.now() * 1000, wallOffsetUs: profileUs - Date.now() * 1000 };
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
