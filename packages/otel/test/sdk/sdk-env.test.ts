// The OTEL_* variables start() reads itself now that it composes the SDK (NodeSDK read them
// before): propagators, sampler, span limits and resource detectors, read as NodeSDK reads them.
import { context, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildResource } from "../../src/sdk/resource.js";
import { propagatorFromEnv, samplerFromEnv, spanLimitsFromEnv } from "../../src/sdk/sdk-env.js";

const SPAN_CONTEXT = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.SAMPLED };

function injected(): Record<string, string> {
  const propagator = propagatorFromEnv();
  const carrier: Record<string, string> = {};
  const ctx = propagation.setBaggage(trace.setSpanContext(ROOT_CONTEXT, SPAN_CONTEXT), propagation.createBaggage({ k: { value: "v" } }));
  propagator?.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

describe("configuration from the environment", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    context.disable();
  });

  it("OTEL_PROPAGATORS: tracecontext and baggage by default, b3 and b3multi on request, none", () => {
    expect(Object.keys(injected()).sort()).toEqual(["baggage", "traceparent"]);
    vi.stubEnv("OTEL_PROPAGATORS", "b3");
    expect(injected()).toEqual({ b3: `${SPAN_CONTEXT.traceId}-${SPAN_CONTEXT.spanId}-1` });
    vi.stubEnv("OTEL_PROPAGATORS", "b3multi,tracecontext");
    expect(Object.keys(injected()).sort()).toEqual(["traceparent", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid"]);
    vi.stubEnv("OTEL_PROPAGATORS", "none");
    expect(propagatorFromEnv()).toBeNull();
  });

  it("OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG", () => {
    expect(samplerFromEnv()).toBeUndefined();
    vi.stubEnv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
    vi.stubEnv("OTEL_TRACES_SAMPLER_ARG", "0.25");
    expect(samplerFromEnv()?.toString()).toBe(
      "ParentBased{root=TraceIdRatioBased{0.25}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}",
    );
    vi.stubEnv("OTEL_TRACES_SAMPLER", "always_off");
    expect(samplerFromEnv()?.toString()).toBe("AlwaysOffSampler");
  });

  it("span limits: OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT over OTEL_ATTRIBUTE_COUNT_LIMIT, OTEL_SPAN_EVENT_COUNT_LIMIT", () => {
    vi.stubEnv("OTEL_ATTRIBUTE_COUNT_LIMIT", "10");
    vi.stubEnv("OTEL_SPAN_EVENT_COUNT_LIMIT", "3");
    expect(spanLimitsFromEnv()).toMatchObject({ attributeCountLimit: 10, eventCountLimit: 3 });
    vi.stubEnv("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "20");
    expect(spanLimitsFromEnv().attributeCountLimit).toBe(20);
  });

  it("resource detectors: host, os, process, service instance and env by default; OTEL_NODE_RESOURCE_DETECTORS narrows them", async () => {
    const all = buildResource();
    await all.waitForAsyncAttributes?.();
    expect(all.attributes).toMatchObject({ "process.pid": process.pid, "os.type": expect.any(String), "host.name": expect.any(String) });
    expect(all.attributes["service.instance.id"]).toEqual(expect.any(String));
    vi.stubEnv("OTEL_NODE_RESOURCE_DETECTORS", "env");
    vi.stubEnv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test");
    const envOnly = buildResource("svc");
    expect(envOnly.attributes["host.name"]).toBeUndefined();
    expect(envOnly.attributes["process.pid"]).toBeUndefined();
    expect(envOnly.attributes).toMatchObject({ "deployment.environment.name": "test", "service.name": "svc" });
  });
});
