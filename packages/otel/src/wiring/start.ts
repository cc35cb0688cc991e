import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { getBooleanFromEnv, getStringFromEnv } from "@opentelemetry/core";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { installFetchCapture } from "../capture/index.js";
import { cpuProfileRequested, startCpuProfiler } from "../cpu-profile/index.js";
import { RedactingSpanProcessor } from "../redaction/redacting-span-processor.js";
import { configureRedaction } from "../redaction/settings.js";
import { registerDroppedSpansMetric } from "../sdk/dropped-spans-metric.js";
import { installExitHooks } from "./exit-hooks.js";
import { createHttpInstrumentation } from "./http-instrumentation.js";
import type { BackgroundHttpTransport } from "../sdk/background-http-transport.js";
import { createFlusher, type Flusher } from "./flusher.js";
import { sharedSlot } from "../sdk/global-state.js";
import { DEFAULT_EXIT_FLUSH_TIMEOUT_MS, type StartOptions } from "../sdk/options.js";
import { createMetricPipeline } from "../sdk/metric-pipeline.js";
import { positiveEnv } from "../sdk/positive-env.js";
import { FanOutSpanProcessor } from "../sdk/processor-registry.js";
import { DEFAULT_SERVICE_NAME, findAppPackageName } from "../sdk/service-name.js";
import { createExporterPipeline } from "../sdk/trace-pipeline.js";
import { TracesFileProcessor } from "../sdk/traces-file.js";

export type { StartOptions } from "../sdk/options.js";

interface Running {
  sdk: NodeSDK;
  timeoutMs: number;
  uninstallFetchCapture: () => void;
  removeExitHooks: () => void;
  flusher: Flusher;
  transports: BackgroundHttpTransport[];
}

// One slot per process, so two copies of this module (or two imports) start the SDK once.
const state = sharedSlot<{ running?: Running }>("sdk", () => ({}));

/**
 * Starts the OpenTelemetry Node SDK for this process (idempotent). OTEL_SDK_DISABLED=true turns
 * everything off. Spans go to OTLP/HTTP (OTEL_* variables as the SDK defines them), to
 * JOTTY_TRACES_FILE when set, and to processors attached with addSpanProcessor().
 */
export function start(options: StartOptions = {}): void {
  if (state.running || getBooleanFromEnv("OTEL_SDK_DISABLED")) return;
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
  const tracesFilePath = options.tracesFile ?? getStringFromEnv("JOTTY_TRACES_FILE");
  // A path that cannot work costs one stderr line and counted failed writes, never the app.
  const tracesFile = tracesFilePath ? new TracesFileProcessor(tracesFilePath) : undefined;
  const exporters = createExporterPipeline(options.traceExporter);
  const processors: SpanProcessor[] = [
    new FanOutSpanProcessor(),
    ...(tracesFile ? [tracesFile] : []),
    ...exporters.processors,
    ...(options.spanProcessors ?? []),
    // Last, so its onEnding sees what the others add; it runs before any of them exports in onEnd.
    new RedactingSpanProcessor(),
  ];
  // Undefined when NodeSDK must build the readers itself from the environment (prometheus, grpc).
  const metricPipeline = options.metricReaders ? undefined : createMetricPipeline();
  const metricReaders = options.metricReaders ?? metricPipeline?.readers;
  const transports = [...(exporters.transport ? [exporters.transport] : []), ...(metricPipeline?.transports ?? [])];

  const sdk = new NodeSDK({
    // Lowest priority: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (read by the detectors) win.
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: findAppPackageName() ?? DEFAULT_SERVICE_NAME }),
    ),
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    spanProcessors: processors,
    ...(metricReaders ? { metricReaders } : {}),
    instrumentations: [createHttpInstrumentation()],
  });
  sdk.start();
  registerDroppedSpansMetric();
  if (cpuProfileRequested()) startCpuProfiler();
  const captureFetch = options.captureFetch ?? !/^(false|0|off|no)$/i.test(getStringFromEnv("JOTTY_CAPTURE_FETCH") ?? "");
  const uninstallFetchCapture = captureFetch ? installFetchCapture() : () => {};

  const flusher = createFlusher(processors, tracesFile, exporters, timeoutMs, !options.metricReaders);
  state.running = { sdk, flusher, timeoutMs, transports, uninstallFetchCapture, removeExitHooks: installExitHooks(flusher, timeoutMs) };
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
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, running.timeoutMs);
  });
  try {
    await Promise.race([
      running.flusher.flushAsync().then(() =>
        // With the collector down, SDK shutdown would only wait out the exporters' retries.
        running.flusher.collectorDown ? void running.sdk.shutdown().catch(() => {}) : running.sdk.shutdown(),
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
    // Let a later start() register fresh globals (the API refuses to replace registered ones).
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  }
}
