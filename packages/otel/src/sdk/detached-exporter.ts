import type { ExportResult } from "@opentelemetry/core";
import { otelCore } from "./sdk-packages.js";

export interface BatchExporter<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Answers the batch span processor / periodic metric reader at once that their batch was taken,
 * and follows the real export in the background. They hold a process-keeping timer (their export
 * timeout, up to 30 s) until the exporter answers, so an export retrying against a collector
 * that is down kept a finished app alive; the exporter's own requests and retries do not (see
 * BackgroundHttpTransport). Delivery is still counted by the wrapped exporter, and forceFlush()
 * and shutdown() wait for the exports in flight, so flushes keep their meaning.
 */
export class DetachedExporter<T> implements BatchExporter<T> {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly inner: BatchExporter<T>) {}

  export(items: T, resultCallback: (result: ExportResult) => void): void {
    const done = new Promise<void>((resolve) => {
      try {
        this.inner.export(items, () => resolve());
      } catch {
        resolve();
      }
    });
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
    resultCallback({ code: otelCore().ExportResultCode.SUCCESS });
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.inner.shutdown();
  }
}
