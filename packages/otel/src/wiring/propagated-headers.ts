// One trace context per request. The undici instrumentation adds its span's trace headers with
// request.addHeader(), which appends: a request that already carries a traceparent (an SDK that
// propagates its own call span, as @anthropic-ai/sdk 1.17 does, or the app) then went out with two
// (`traceparent: 00-…-ef05…, 00-…-a615…`), a malformed header the server may reject.
import { context, propagation, trace, type Span } from "@opentelemetry/api";

/**
 * requestHook for @opentelemetry/instrumentation-undici: removes from the request the headers
 * the registered propagator is about to write for the HTTP span (traceparent, tracestate,
 * baggage…). The HTTP span is a child of the span whose context the SDK sent, so the server's
 * parent is the most precise one. Headers the propagator would not write are left alone.
 */
export function replacePropagatedHeaders(span: Span, request: { headers?: unknown }): void {
  const headers = request.headers;
  if (!Array.isArray(headers) && typeof headers !== "string") return;
  const written: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), written);
  const names = new Set(Object.keys(written).map((name) => name.toLowerCase()));
  if (names.size === 0) return;
  if (Array.isArray(headers)) {
    for (let i = headers.length - 2; i >= 0; i -= 2) {
      const name: unknown = headers[i];
      if (typeof name === "string" && names.has(name.toLowerCase())) headers.splice(i, 2);
    }
    return;
  }
  const kept = headers.split("\r\n").filter((line) => {
    const colon = line.indexOf(":");
    return colon === -1 || !names.has(line.slice(0, colon).trim().toLowerCase());
  });
  request.headers = kept.join("\r\n");
}
