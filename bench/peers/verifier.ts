// Sees the spans a contender produces while a few requests run, and checks them (llm-spans.ts);
// afterwards it keeps nothing, so the timed requests run on the plain pipeline.
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { EXPECTED_TOKENS } from "./answers.ts";
import { checkRequests, type RequestCheck } from "./llm-spans.ts";
import type { Mode } from "./protocol.ts";

const VERIFY_REQUESTS = 4;

export const droppingExporter: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

export class SpanVerifier implements SpanProcessor {
  #ended: ReadableSpan[] | undefined;

  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.#ended?.push(span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}

  /** Runs `request` VERIFY_REQUESTS times and checks the LLM span of each. */
  async verify(mode: Mode, request: () => Promise<void>): Promise<RequestCheck> {
    const ended: ReadableSpan[] = [];
    this.#ended = ended;
    try {
      for (let i = 0; i < VERIFY_REQUESTS; i++) await request();
      // Some instrumentations end their span a tick after the app's last read.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      this.#ended = undefined;
    }
    return checkRequests(ended, VERIFY_REQUESTS, EXPECTED_TOKENS[mode]);
  }
}
