// The time the client waited after each refused call, from the spans themselves. The client's
// timer runs on libuv's cached loop time, so in wall time a wait can be a little shorter than the
// retry-after it honoured: the report's backoff figures are compared with these gaps instead.
import type { Span } from "@jotty/engine";

export function refusalWaitsMs(spans: Span[]): number {
  const calls = spans.filter((s) => s.name === "llm_call").sort((a, b) => a.startNs - b.startNs);
  let waitsNs = 0;
  calls.forEach((call, i) => {
    const next = calls[i + 1];
    if (call.attributes["http.response.status_code"] === 429 && next !== undefined) waitsNs += next.startNs - call.endNs;
  });
  return waitsNs / 1e6;
}
