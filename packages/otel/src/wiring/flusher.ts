import { metrics } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { flushCpuHotspots } from "../cpu-profile/control.js";
import { isEndpointListening } from "../sdk/endpoint-probe.js";
import type { ExitFlusher } from "./exit-hooks.js";
import { resolveOtlpMetricsUrl } from "../sdk/otlp-endpoint.js";
import { FanOutSpanProcessor } from "../sdk/processor-registry.js";
import type { ExporterPipeline } from "../sdk/trace-pipeline.js";
import type { TracesFileProcessor } from "../sdk/traces-file.js";

export interface Flusher extends ExitFlusher {
  /** The last flush found the OTLP endpoint(s) not listening. */
  readonly collectorDown: boolean;
}

/** Flushes the span processors and the meter provider start() set up, for the exit hooks and shutdown(). */
export function createFlusher(
  processors: SpanProcessor[],
  tracesFile: TracesFileProcessor | undefined,
  exporters: ExporterPipeline,
  timeoutMs: number,
  metricReadersFromEnv: boolean,
): Flusher {
  const batch = exporters.batch;
  // In-process processors (attached to the fan-out) flush before anything is written or sent:
  // the CPU profiler writes each ended segment's slice onto its span when it flushes.
  const fanOut = processors.find((p) => p instanceof FanOutSpanProcessor);
  const exporting = processors.filter((p) => p !== fanOut);
  const metricsUrl = metricReadersFromEnv ? resolveOtlpMetricsUrl() : undefined;
  const endedTotal = () => (tracesFile?.endedTotal ?? 0) + (batch?.endedTotal ?? 0);
  let endedAtLastFlush = -1;
  let collectorDown = false;
  const flushFile = () => {
    flushCpuHotspots();
    tracesFile?.flushSync();
  };
  return {
    get collectorDown() {
      return collectorDown;
    },
    flushFile,
    flushSync({ budgetMs }) {
      flushFile();
      batch?.flushSync(budgetMs);
    },
    async flushAsync() {
      endedAtLastFlush = endedTotal();
      // Bounded to half the exit timeout, so a stuck attached processor leaves time for the export.
      await settleWithin(fanOut?.forceFlush(), timeoutMs / 2);
      tracesFile?.flushSync();
      // A collector that is not running refuses at once: do not wait out the exporters' retries.
      const probeMs = Math.min(1000, timeoutMs);
      const target = batch?.target;
      const [tracesReachable, metricsReachable] = await Promise.all([
        target ? isEndpointListening(target.url, probeMs) : true,
        metricsUrl ? isEndpointListening(metricsUrl, probeMs) : true,
      ]);
      collectorDown = !tracesReachable || !metricsReachable;
      if (!tracesReachable && batch && batch.undeliveredCount > 0) batch.exporter.markUnreachable("nothing is listening");
      const meterProvider = metrics.getMeterProvider() as { forceFlush?: () => Promise<void> };
      await Promise.allSettled([
        ...exporting.filter((p) => p !== batch || tracesReachable).map((p) => p.forceFlush()),
        metricsReachable ? meterProvider.forceFlush?.() : undefined,
      ]);
      tracesFile?.flushSync();
    },
    // Spans the last flush could not deliver (collector down) do not count: no flush loop.
    hasUnflushedSpans() {
      return endedTotal() !== endedAtLastFlush;
    },
    hasWork: () => true,
  };
}

/** Waits for `flush` (never rejects), at most `ms`. */
async function settleWithin(flush: Promise<void> | undefined, ms: number): Promise<void> {
  if (!flush) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    flush.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms).unref();
    }),
  ]);
  clearTimeout(timer);
}
