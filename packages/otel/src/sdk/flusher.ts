import { metrics } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { isEndpointListening } from "./endpoint-probe.js";
import type { ExitFlusher } from "./exit-hooks.js";
import { resolveOtlpMetricsUrl } from "./otlp-endpoint.js";
import type { ExporterPipeline } from "./trace-pipeline.js";
import type { TracesFileProcessor } from "./traces-file.js";

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
  const metricsUrl = metricReadersFromEnv ? resolveOtlpMetricsUrl() : undefined;
  const endedTotal = () => (tracesFile?.endedTotal ?? 0) + (batch?.endedTotal ?? 0);
  let endedAtLastFlush = -1;
  let collectorDown = false;
  return {
    get collectorDown() {
      return collectorDown;
    },
    flushFile() {
      tracesFile?.flushSync();
    },
    flushSync({ budgetMs }) {
      tracesFile?.flushSync();
      batch?.flushSync(budgetMs);
    },
    async flushAsync() {
      endedAtLastFlush = endedTotal();
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
        ...processors.filter((p) => p !== batch || tracesReachable).map((p) => p.forceFlush()),
        metricsReachable ? meterProvider.forceFlush?.() : undefined,
      ]);
      tracesFile?.flushSync();
    },
    // Spans the last flush could not deliver (collector down) do not count: no flush loop.
    hasUnflushedSpans() {
      return endedTotal() !== endedAtLastFlush;
    },
  };
}
