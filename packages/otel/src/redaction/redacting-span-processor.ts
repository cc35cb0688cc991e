import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { withKnownSecrets } from "./known-secrets.js";
import { redactSpan } from "./redact-span.js";
import { isRedacted, spanSecrets } from "./span-secrets.js";

/**
 * The last line of defence: as each span ends (onEnding, before any processor exports it),
 * redacts well-known key shapes, credentials in URL attributes, the secrets this process sent on
 * LLM requests and, on an llm_call, those its request carried, from the name, attributes, events,
 * links and status. start() installs it
 * last, so it also sees what other processors add while the span ends. With your own SDK, add
 * it to the provider's span processors.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    if (isRedacted(span)) return;
    try {
      redactSpan(span, withKnownSecrets(spanSecrets(span)));
    } catch {
      // Redaction must never break the app's span.end(); the central points have redacted already.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
