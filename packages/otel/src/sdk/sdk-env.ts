// The parts of the SDK configuration NodeSDK reads from the environment, read the same way
// (its create-from-env.ts and utils.ts): sampler, span limits, propagators, diagnostic log level.
import { diag, DiagConsoleLogger, type TextMapPropagator } from "@opentelemetry/api";
import type { Sampler, SpanLimits } from "@opentelemetry/sdk-trace";
import { envList, envNumber, envString } from "./env.js";
import { loadSync } from "./load-sync.js";
import { otelCore, sdkTrace } from "./sdk-packages.js";

type B3Module = typeof import("@opentelemetry/propagator-b3");

/** OTEL_LOG_LEVEL: the SDK's diagnostics to the console at that level. */
export function setDiagLoggerFromEnv(): void {
  const level = envString("OTEL_LOG_LEVEL");
  if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: otelCore().diagLogLevelFromString(level) });
}

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG; undefined leaves the provider's default (parentbased_always_on). */
export function samplerFromEnv(): Sampler | undefined {
  const name = envString("OTEL_TRACES_SAMPLER");
  if (name === undefined) return undefined;
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = sdkTrace();
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "traceidratio":
      return new TraceIdRatioBasedSampler(samplerRatioFromEnv());
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatioFromEnv()) });
    default:
      diag.error(`unknown OTEL_TRACES_SAMPLER value "${name}", using default`);
      return undefined;
  }
}

function samplerRatioFromEnv(): number {
  const ratio = envNumber("OTEL_TRACES_SAMPLER_ARG");
  if (ratio === undefined || ratio < 0 || ratio > 1) {
    diag.error(`OTEL_TRACES_SAMPLER_ARG=${ratio ?? ""} is blank or out of range ([0..1]), defaulting to 1.`);
    return 1;
  }
  return ratio;
}

/** OTEL_SPAN_* and OTEL_ATTRIBUTE_* limits. */
export function spanLimitsFromEnv(): SpanLimits {
  return {
    attributeCountLimit: envNumber("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT") ?? envNumber("OTEL_ATTRIBUTE_COUNT_LIMIT"),
    attributeValueLengthLimit: envNumber("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT") ?? envNumber("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"),
    eventCountLimit: envNumber("OTEL_SPAN_EVENT_COUNT_LIMIT"),
    linkCountLimit: envNumber("OTEL_SPAN_LINK_COUNT_LIMIT"),
    attributePerEventCountLimit: envNumber("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT") ?? envNumber("OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT"),
    attributePerLinkCountLimit: envNumber("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT") ?? envNumber("OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT"),
  };
}

/**
 * OTEL_PROPAGATORS (default tracecontext,baggage); null for "none" or nothing usable. The B3
 * propagator's package loads only when b3 or b3multi is asked for.
 */
export function propagatorFromEnv(): TextMapPropagator | null {
  const names = propagatorNames();
  if (names.includes("none")) return null;
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = otelCore();
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === "tracecontext") propagators.push(new W3CTraceContextPropagator());
    else if (name === "baggage") propagators.push(new W3CBaggagePropagator());
    else if (name === "b3" || name === "b3multi") {
      const { B3Propagator, B3InjectEncoding } = loadSync<B3Module>("@opentelemetry/propagator-b3");
      propagators.push(new B3Propagator(name === "b3multi" ? { injectEncoding: B3InjectEncoding.MULTI_HEADER } : {}));
    } else diag.warn(`Propagator "${name}" requested through environment variable is unavailable.`);
  }
  if (propagators.length === 0) return null;
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}

/** OTEL_PROPAGATORS' names, tracecontext and baggage when unset. */
export function propagatorNames(): string[] {
  return [...new Set(envList("OTEL_PROPAGATORS") ?? ["tracecontext", "baggage"])];
}
