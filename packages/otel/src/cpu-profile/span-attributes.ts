// How a segment's CPU slice is written onto its span: span attributes for the file and sample
// range, and one `jotty.cpu_profile` event with the top functions.
import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace";
import {
  ATTR_JOTTY_CPU_PROFILE_CPU_MS,
  ATTR_JOTTY_CPU_PROFILE_FUNCTIONS,
  ATTR_JOTTY_CPU_PROFILE_LOCATIONS,
  ATTR_JOTTY_CPU_PROFILE_OVERLAPPING,
  ATTR_JOTTY_CPU_PROFILE_PATH,
  ATTR_JOTTY_CPU_PROFILE_SAMPLES,
  ATTR_JOTTY_CPU_PROFILE_SAMPLE_FIRST,
  ATTR_JOTTY_CPU_PROFILE_SAMPLE_LAST,
  ATTR_JOTTY_CPU_PROFILE_SELF_MS,
  ATTR_JOTTY_CPU_PROFILE_SHARES,
  ATTR_JOTTY_CPU_PROFILE_TOP_FUNCTIONS,
  EVENT_JOTTY_CPU_PROFILE,
} from "@jotty/engine/semconv";
import type { CpuHotspots } from "./types.js";

/**
 * The span has ended, so the API refuses setAttribute/addEvent; but the SDK hands every
 * processor the same object and exporters read it later (a batch processor only queues it), so
 * attributes and events written onto it reach every exporter that has not sent it yet.
 */
export function attachHotspots(span: ReadableSpan, hotspots: CpuHotspots): void {
  const attributes = span.attributes as Attributes;
  attributes[ATTR_JOTTY_CPU_PROFILE_PATH] = hotspots.profilePath;
  attributes[ATTR_JOTTY_CPU_PROFILE_SAMPLE_FIRST] = hotspots.sampleFirst;
  attributes[ATTR_JOTTY_CPU_PROFILE_SAMPLE_LAST] = hotspots.sampleLast;
  attributes[ATTR_JOTTY_CPU_PROFILE_OVERLAPPING] = hotspots.overlapping;
  const top = hotspots.topFunctions;
  const event: TimedEvent = {
    name: EVENT_JOTTY_CPU_PROFILE,
    time: span.endTime,
    attributes: {
      [ATTR_JOTTY_CPU_PROFILE_SAMPLES]: hotspots.cpuSamples,
      [ATTR_JOTTY_CPU_PROFILE_CPU_MS]: hotspots.cpuMs,
      [ATTR_JOTTY_CPU_PROFILE_OVERLAPPING]: hotspots.overlapping,
      [ATTR_JOTTY_CPU_PROFILE_TOP_FUNCTIONS]: JSON.stringify(top),
      [ATTR_JOTTY_CPU_PROFILE_FUNCTIONS]: top.map((f) => f.function),
      [ATTR_JOTTY_CPU_PROFILE_LOCATIONS]: top.map((f) => f.location),
      [ATTR_JOTTY_CPU_PROFILE_SELF_MS]: top.map((f) => f.selfMs),
      [ATTR_JOTTY_CPU_PROFILE_SHARES]: top.map((f) => f.share),
    },
    droppedAttributesCount: 0,
  };
  (span.events as TimedEvent[]).push(event);
}
