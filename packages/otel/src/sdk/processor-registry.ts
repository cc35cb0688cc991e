import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { sharedSlot } from "./global-state.js";

const attached = sharedSlot("span-processors", () => new Set<SpanProcessor>());

/**
 * Attaches a span processor to the running SDK pipeline (SDK 3 providers take their processors
 * at construction only). Returns a function that detaches it; detaching does not shut it down.
 */
export function addSpanProcessor(processor: SpanProcessor): () => void {
  attached.add(processor);
  return () => {
    attached.delete(processor);
  };
}

/** A processor that finishes ended spans a little later (the CPU profiler writes their slices). */
interface SettlingProcessor {
  settleEndedSync(): void;
}

/**
 * Lets every attached processor finish the spans that have ended, now: exporters call it before
 * they serialize, so a span is never written out while its enrichment is still on a timer.
 */
export function settleEndedSpans(): void {
  if (attached.size === 0) return;
  for (const p of attached) (p as Partial<SettlingProcessor>).settleEndedSync?.();
}

/** The processor start() installs first in the provider: it fans each span out to the attached ones. */
export class FanOutSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    if (attached.size === 0) return;
    for (const p of attached) p.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    if (attached.size === 0) return;
    for (const p of attached) p.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    if (attached.size === 0) return;
    for (const p of attached) p.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...attached].map((p) => p.forceFlush()));
  }

  // Attached processors belong to their owners, who shut them down.
  async shutdown(): Promise<void> {}
}
