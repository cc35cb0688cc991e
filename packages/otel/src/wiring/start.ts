import type { IMetricReader } from "@opentelemetry/sdk-metrics";
import type { Resource } from "@opentelemetry/resources";
import type { TracerProvider } from "@opentelemetry/api";
import { installFetchCapture } from "../capture/index.js";
import { cpuProfileRequested, startCpuProfiler } from "../cpu-profile/control.js";
import { configureRedaction } from "../redaction/settings.js";
import { registerDroppedSpansMetric } from "../sdk/dropped-spans-metric.js";
import { envBoolean, envString } from "../sdk/env.js";
import { installExitHooks } from "./exit-hooks.js";
import { installHttpInstrumentation } from "./http-instrumentation.js";
import { deferredFlusher } from "./deferred-flusher.js";
import type { Flusher } from "./flusher.js";
import { sharedSlot } from "../sdk/global-state.js";
import { DEFAULT_EXIT_FLUSH_TIMEOUT_MS, type StartOptions } from "../sdk/options.js";
import { createMetricPipeline, metricExporterNames, startMeterProvider, unregisterMeterProvider } from "../sdk/metric-pipeline.js";
import type { DeferredMeterProvider } from "../sdk/deferred-meter-provider.js";
import type { StoppableTransport } from "../sdk/otlp-exporters.js";
import { acceptLaterProviders, joinExistingProvider } from "../sdk/peer-providers.js";
import { positiveEnv } from "../sdk/positive-env.js";
import { buildResource } from "../sdk/resource.js";
import { setDiagLoggerFromEnv } from "../sdk/sdk-env.js";
import { startTracing } from "../sdk/tracing.js";
import { createSpanPipeline, type SpanPipeline } from "./span-pipeline.js";

export type { StartOptions } from "../sdk/options.js";

interface Running {
  tracerProvider: TracerProvider & { shutdown(): Promise<void> };
  meterProvider?: DeferredMeterProvider;
  /** Undoes the coexistence with other providers (peer-providers.ts) and the globals start() registered. */
  leavePeers: () => void;
  unregister: () => void;
  disableInstrumentation: () => void;
  timeoutMs: number;
  uninstallFetchCapture: () => void;
  removeExitHooks: () => void;
  flusher: Flusher;
  transports: StoppableTransport[];
}

// One slot per process, so two copies of this module (or two imports) start the SDK once.
const state = sharedSlot<{ running?: Running }>("sdk", () => ({}));

/**
 * Starts OpenTelemetry for this process (idempotent), composed from the SDK packages NodeSDK
 * composes, only those the configured pipeline uses; exporters load with their first export.
 * OTEL_SDK_DISABLED=true turns everything off. Spans go to OTLP/HTTP (OTEL_* variables as the SDK defines them), to
 * JOTTY_TRACES_FILE when set, and to processors attached with addSpanProcessor().
 */
export function start(options: StartOptions = {}): void {
  if (state.running || envBoolean("OTEL_SDK_DISABLED")) return;
  try {
    startSdk(options);
  } catch (error) {
    // Telemetry must never take the app down: one line, and the app runs without it.
    process.stderr.write(`@jotty/otel: could not start OpenTelemetry: ${(error as Error).message}\n`);
  }
}

function startSdk(options: StartOptions): void {
  configureRedaction(options.redact);
  const timeoutMs = options.exitFlushTimeoutMs ?? positiveEnv("JOTTY_EXIT_FLUSH_TIMEOUT_MS") ?? DEFAULT_EXIT_FLUSH_TIMEOUT_MS;
  const tracesFilePath = options.tracesFile ?? envString("JOTTY_TRACES_FILE");
  const transports: StoppableTransport[] = [];
  const metricReaders = (): IMetricReader[] => {
    if (options.metricReaders) return options.metricReaders;
    const pipeline = createMetricPipeline();
    transports.push(...pipeline.transports);
    return pipeline.readers;
  };
  // No meter provider when no reader is configured, as NodeSDK does.
  const metricsOn = options.metricReaders ? options.metricReaders.length > 0 : metricExporterNames().length > 0;

  setDiagLoggerFromEnv();
  // The resource, the span processors and the SDK's providers are made by the first span or
  // metric that needs them (the SDK packages are most of what a start would load otherwise).
  let resource: Resource | undefined;
  const sharedResource = () => (resource ??= buildResource(options.serviceName));
  let pipeline: SpanPipeline | undefined;
  const spanPipeline = () => (pipeline ??= createSpanPipeline({ options, tracesFilePath, timeoutMs, transports }));
  // Before the instrumentation is made: it takes its meter from the global provider once.
  const meterProvider = metricsOn ? startMeterProvider(sharedResource, metricReaders, registerDroppedSpansMetric) : undefined;
  // Readers given in code are the caller's to read at any time, and Prometheus scrapes a server
  // that must listen from the start: their provider is made at once.
  if (options.metricReaders ?? metricExporterNames().includes("prometheus")) meterProvider?.materialize();
  const tracing = startTracing({ resource: sharedResource, spanProcessors: () => spanPipeline().processors });
  // Another SDK set up before us keeps its provider; ours joins it. One set up after us joins ours.
  const leaveExisting = tracing.registered ? undefined : joinExistingProvider(spanPipeline().processors);
  const stopAccepting = tracing.registered ? acceptLaterProviders(tracing.provider) : () => {};
  const leavePeers = () => {
    stopAccepting();
    leaveExisting?.();
  };
  const instrumentation = installHttpInstrumentation();
  if (cpuProfileRequested()) startCpuProfiler();
  const captureFetch = options.captureFetch ?? !/^(false|0|off|no)$/i.test(envString("JOTTY_CAPTURE_FETCH") ?? "");
  const uninstallFetchCapture = captureFetch ? installFetchCapture() : () => {};

  const flusher = deferredFlusher(
    () => pipeline !== undefined || meterProvider?.built === true,
    () => spanPipeline().flusher,
  );
  state.running = {
    tracerProvider: tracing.provider,
    meterProvider,
    leavePeers,
    unregister: () => {
      tracing.unregister();
      unregisterMeterProvider(meterProvider);
    },
    disableInstrumentation: () => instrumentation.disable(),
    flusher,
    timeoutMs,
    transports,
    uninstallFetchCapture,
    removeExitHooks: installExitHooks(flusher, timeoutMs),
  };
}

/**
 * Flushes every pending span and metric, stops the SDK and removes the exit hooks; bounded by
 * the exit flush timeout, so an unreachable collector cannot hold it up longer.
 */
export async function shutdown(): Promise<void> {
  const running = state.running;
  if (!running) return;
  state.running = undefined;
  running.removeExitHooks();
  running.uninstallFetchCapture();
  running.disableInstrumentation();
  running.leavePeers();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, running.timeoutMs);
  });
  try {
    await Promise.race([
      running.flusher.flushAsync().then(() =>
        // With the collector down, SDK shutdown would only wait out the exporters' retries.
        running.flusher.collectorDown ? void shutdownProviders(running).catch(() => {}) : shutdownProviders(running),
      ),
      bound,
    ]);
  } catch {
    // Export errors are already counted and reported once by the exporter.
  } finally {
    clearTimeout(timer);
    // Past the bound, or with the collector down: end the exports still waiting for an answer or a retry.
    for (const transport of running.transports) transport.stop();
    running.flusher.flushSync({ budgetMs: 0 });
    // Let a later start() register fresh globals (the API refuses to replace registered ones);
    // another SDK's, registered before ours, stay.
    running.unregister();
  }
}

function shutdownProviders(running: Running): Promise<void> {
  return Promise.all([running.tracerProvider.shutdown(), running.meterProvider?.shutdown()]).then(() => {});
}
