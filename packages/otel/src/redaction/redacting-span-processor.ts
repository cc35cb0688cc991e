import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { knownSecrets } from "./known-secrets.js";
import { redactSpan } from "./redact-span.js";
import { isRedacted } from "./span-secrets.js";

/**
 * The last line of defence: as each span ends (onEnding, before any processor exports it),
 * redacts well-known key shapes, credentials in URL attributes and the secrets this process sent
 * on LLM requests from the name, attributes, events, links and status. An llm_call has already
 * redacted itself (its own request's secrets included) and is skipped. start() installs it
 * last, so it also sees what other processors add while the span ends. With your own SDK, add
 * it to the provider's span processors.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    if (isRedacted(span)) return;
    try {
      redactSpan(span, knownSecrets());
    } catch {
      // Redaction must never break the app's span.end(); the central points have redacted already.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
