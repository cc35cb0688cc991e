// Maps span times (epoch) onto the profile's clock.
//
// V8 stamps profile samples with base::TimeTicks, which on Linux is CLOCK_MONOTONIC in µs; so is
// libuv's uv_hrtime behind process.hrtime and performance.now(). Checked on Node 24.21: a
// profile's startTime differs from process.hrtime.bigint()/1000 read just before the start by
// ~60 µs (the start call itself), so the two are one clock. OpenTelemetry stamps spans with
// performance.timeOrigin + performance.now() (epoch ms on that same monotonic clock), so one
// offset read at start converts exactly, immune to later wall-clock (NTP) adjustments.
import type { HrTime } from "@opentelemetry/api";

export interface ProfileClock {
  /** Epoch µs minus monotonic µs. */
  offsetUs: number;
}

export function readProfileClock(): ProfileClock {
  const monotonicUs = Number(process.hrtime.bigint()) / 1000;
  const epochUs = (performance.timeOrigin + performance.now()) * 1000;
  return { offsetUs: epochUs - monotonicUs };
}

export function hrTimeToProfileUs(clock: ProfileClock, time: HrTime): number {
  return time[0] * 1e6 + time[1] / 1e3 - clock.offsetUs;
}
