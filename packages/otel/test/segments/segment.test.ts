import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { profile } from "../../src/segments/profile.js";
import { profiler } from "../../src/segments/segment.js";
import { installHarness, parentOf } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

function parse(): number {
  using seg = profiler.segment("parse", { "app.bytes": 12 });
  expect(trace.getActiveSpan()).toBe(seg.span);
  profile("tokenize", () => undefined);
  return 7;
}

describe("profiler.segment() with `using`", () => {
  it("is an INTERNAL span, active for the scope, ended and restored when the scope exits", () => {
    expect(parse()).toBe(7);
    const seg = h.span("parse");
    expect(seg.kind).toBe(SpanKind.INTERNAL);
    expect(seg.attributes).toEqual({ "app.bytes": 12 });
    expect(seg.ended).toBe(true);
    expect(parentOf(h.span("tokenize"))).toBe(seg.spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it("nests under the caller's segment and restores it", async () => {
    await profile("request", async (request) => {
      parse();
      expect(trace.getActiveSpan()).toBe(request);
    });
    expect(parentOf(h.span("parse"))).toBe(h.span("request").spanContext().spanId);
  });

  it("nests segments inside segments", () => {
    {
      using outer = profiler.segment("outer");
      {
        using inner = profiler.segment("inner");
        expect(trace.getActiveSpan()).toBe(inner.span);
      }
      expect(trace.getActiveSpan()).toBe(outer.span);
    }
    expect(parentOf(h.span("inner"))).toBe(h.span("outer").spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it("ends on a throw through the scope (the error is recorded explicitly) and end() is idempotent", () => {
    const boom = new Error("parse failed");
    expect(() => {
      using seg = profiler.segment("failing");
      try {
        throw boom;
      } catch (error) {
        seg.recordError(error);
        throw error;
      }
    }).toThrow(boom);
    const span = h.span("failing");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "parse failed" });
    expect(trace.getActiveSpan()).toBeUndefined();

    const seg = profiler.segment("manual");
    seg.end();
    seg[Symbol.dispose]();
    expect(h.spans().filter((s) => s.name === "manual")).toHaveLength(1);
  });
});
