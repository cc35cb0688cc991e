// The outputs the canary suite searches: what start()'s batched trace exporter sends (as OTLP
// JSON), every span as it ends, the metrics, the traces file and the CPU profiles.
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { MetricReader } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";

const decoder = new TextDecoder();

/** A trace exporter that keeps each batch as the OTLP/JSON request body it would send. */
export class RecordingExporter implements SpanExporter {
  readonly bodies: string[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.bodies.push(decoder.decode(JsonTraceSerializer.serializeRequest(spans)));
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

/** Every ended span, and a way to wait for the llm_call spans of a scenario. */
export class EndedSpans implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  #waiters: Array<() => void> = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
    for (const wake of this.#waiters.splice(0)) wake();
  }
  /** Resolves once `count` llm_call spans have ended in all. */
  async llmCalls(count: number): Promise<void> {
    while (this.spans.filter((s) => s.name === "llm_call").length < count) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export class PullMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}
