// Mastra through @mastra/otel-exporter, its own OpenTelemetry pipeline (its own provider and
// trace ids), alone and beside @jotty/otel: our llm_calls land in other traces than Mastra's
// records of the same requests, and must still count once.
import { Observability } from "@mastra/observability";
import { OtelExporter } from "@mastra/otel-exporter";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import type { Report } from "@jotty/engine";
import { crossTraceMergedWarning } from "@jotty/engine/engine";
import { callWarnings, MERGED_WARNING } from "./expect-call.js";
import { GENERATE_TRUTH, generateResponses, generateTurn } from "./mastra-agents.js";
import { usePeerEnv } from "./peer-run.js";

const env = usePeerEnv();

/** What Mastra's pipeline exported; kept through its shutdown (an InMemorySpanExporter forgets them then). */
class Collected {
  spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.spans.push(...spans);
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
  getFinishedSpans = () => this.spans;
  reset = () => {
    this.spans = [];
  };
}
const pipeline = new Collected();
afterEach(() => pipeline.reset());

const exporting = () =>
  new Observability({
    configs: {
      default: {
        serviceName: "mastra-test",
        // The endpoint is never used: the spans go to the exporter given.
        exporters: [
          new OtelExporter({ exporter: pipeline as never, provider: { custom: { endpoint: "http://127.0.0.1:9/v1/traces" } }, signals: { logs: false } }),
        ],
      },
    },
  });

const figures = (r: Report) => ({
  calls: r.llm.calls,
  inputTokens: r.llm.inputTokens,
  outputTokens: r.llm.outputTokens,
  cacheReadTokens: r.llm.cacheReadTokens,
  costUsd: r.llm.costUsd,
});

describe("Mastra with its OpenTelemetry exporter", () => {
  // From a script (no span of the app's own) each llm_call is the root of a small trace of its
  // own; inside an app's span, our llm_calls are in the app's trace, Mastra's runs in their own.
  for (const root of [false, true]) {
    it(`generate() ${root ? "inside a span of the app's own" : "from a script"}: exact alone; beside @jotty/otel, each llm_call is Mastra's request in another trace`, async () => {
      env.server.handle(generateResponses());
      const alone = await env.run((url) => generateTurn(url, exporting()), { jotty: false, root, otherPipeline: () => pipeline.getFinishedSpans() });
      pipeline.reset();
      env.server.handle(generateResponses());
      const both = await env.run((url) => generateTurn(url, exporting()), { jotty: true, llmCalls: 3, root, otherPipeline: () => pipeline.getFinishedSpans() });
      expect(figures(alone.report)).toEqual(GENERATE_TRUTH);
      expect(figures(both.report)).toEqual(GENERATE_TRUTH);
      // Mastra's step and its inference span are one request (nested); ours are its duplicates in other traces.
      expect(callWarnings(alone.report)).toEqual([MERGED_WARNING(3)]);
      // From a script, Mastra's calls take ours; inside the app's span, ours (analysed first) take Mastra's steps and inference spans.
      expect(callWarnings(both.report)).toEqual(root ? [crossTraceMergedWarning(6)] : [crossTraceMergedWarning(3), MERGED_WARNING(3)]);
    });
  }
});
