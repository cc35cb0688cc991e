import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { profile } from "../../src/segments/profile.js";
import { installHarness, parentOf } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("profile()", () => {
  it("returns a sync function's value synchronously in an INTERNAL span with the attributes", () => {
    const value = profile("sync-work", () => 42, { "app.items": 3, "app.kind": "parse" });
    expect(value).toBe(42);
    const span = h.span("sync-work");
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes).toEqual({ "app.items": 3, "app.kind": "parse" });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.ended).toBe(true);
  });

  it("ends an async segment when its promise settles and returns the value", async () => {
    let resolve!: (v: string) => void;
    const pending = profile("async-work", () => new Promise<string>((r) => (resolve = r)));
    expect(pending).toBeInstanceOf(Promise);
    expect(h.spans()).toHaveLength(0);
    resolve("done");
    await expect(pending).resolves.toBe("done");
    expect(h.span("async-work").ended).toBe(true);
  });

  it("passes the span to fn and makes it the active span", () => {
    profile("outer", (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      span.setAttribute("app.set_inside", true);
    });
    expect(h.span("outer").attributes["app.set_inside"]).toBe(true);
  });

  it("nests children under the active span, sync and async", async () => {
    await profile("root", async () => {
      profile("sync-child", () => profile("grandchild", () => 1));
      await tick();
      await profile("async-child", async () => tick());
    });
    const root = h.span("root");
    expect(parentOf(root)).toBeUndefined();
    expect(parentOf(h.span("sync-child"))).toBe(root.spanContext().spanId);
    expect(parentOf(h.span("grandchild"))).toBe(h.span("sync-child").spanContext().spanId);
    expect(parentOf(h.span("async-child"))).toBe(root.spanContext().spanId);
    expect(new Set(h.spans().map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("gives each child started inside Promise.all its own right parent", async () => {
    const worker = (name: string, delays: number) =>
      profile(name, async () => {
        for (let i = 0; i < delays; i++) await tick();
        await profile(`${name}.step1`, async () => {
          await tick();
          await profile(`${name}.step2`, async () => tick());
        });
      });
    await profile("fan-out", () => Promise.all([worker("a", 3), worker("b", 1), worker("c", 2)]));
    const id = (name: string) => h.span(name).spanContext().spanId;
    for (const name of ["a", "b", "c"]) {
      expect(parentOf(h.span(name))).toBe(id("fan-out"));
      expect(parentOf(h.span(`${name}.step1`))).toBe(id(name));
      expect(parentOf(h.span(`${name}.step2`))).toBe(id(`${name}.step1`));
    }
    expect(h.spans()).toHaveLength(10);
  });

  it("records a sync throw (status ERROR, exception event) and re-throws the same object", () => {
    const boom = new RangeError("bad range");
    let caught: unknown;
    try {
      profile("throws", () => {
        throw boom;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    const span = h.span("throws");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "bad range" });
    expect(span.events).toHaveLength(1);
    expect(span.events[0]!.name).toBe("exception");
    expect(span.events[0]!.attributes?.["exception.type"]).toBe("RangeError");
    expect(span.events[0]!.attributes?.["exception.message"]).toBe("bad range");
  });

  it("records a rejection and re-rejects with the same reason, also for non-Error values", async () => {
    const boom = new Error("async boom");
    await expect(profile("rejects", async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(h.span("rejects").status).toEqual({ code: SpanStatusCode.ERROR, message: "async boom" });

    await expect(profile("rejects-string", async () => Promise.reject("plain"))).rejects.toBe("plain");
    expect(h.span("rejects-string").status).toEqual({ code: SpanStatusCode.ERROR, message: "plain" });
  });

  it("restores the caller's active span after the segment", async () => {
    await profile("caller", async (caller) => {
      await profile("inner", async () => tick());
      expect(trace.getActiveSpan()).toBe(caller);
    });
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
