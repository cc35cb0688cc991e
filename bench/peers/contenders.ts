// The contenders of the peer benchmark. Every one but the bare client runs the same pipeline:
// the NodeSDK with a BatchSpanProcessor into an exporter that drops, the undici (fetch)
// instrumentation, and no metric readers; each adds its own LLM instrumentation with its defaults.
// `@jotty/otel` is started as a user starts it: start() with the same exporter.
import type { NodeSDKConfiguration } from "@opentelemetry/sdk-node";
import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";

type Instrumentation = Exclude<NonNullable<NodeSDKConfiguration["instrumentations"]>[number], unknown[]>;

export interface Contender {
  name: string;
  /** An LLM instrumentation (not the bare client or the HTTP span alone). */
  llm: boolean;
  /**
   * Starts telemetry in this process; `verifier` sees every ended span. Returns a switch for the
   * LLM instrumentation alone (the in-process benchmark turns it off and on between rounds).
   */
  setUp(exporter: SpanExporter, verifier: SpanProcessor): Promise<LlmSwitch | undefined>;
}

export type LlmSwitch = (on: boolean) => void;

async function nodeSdk(exporter: SpanExporter, verifier: SpanProcessor, llmInstrumentation?: Instrumentation): Promise<LlmSwitch | undefined> {
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
  const { BatchSpanProcessor } = await import("@opentelemetry/sdk-trace");
  const { UndiciInstrumentation } = await import("@opentelemetry/instrumentation-undici");
  new NodeSDK({
    spanProcessors: [new BatchSpanProcessor({ exporter }), verifier],
    metricReaders: [],
    instrumentations: [new UndiciInstrumentation(), ...(llmInstrumentation ? [llmInstrumentation] : [])],
  }).start();
  if (llmInstrumentation === undefined) return undefined;
  return (on) => (on ? llmInstrumentation.enable() : llmInstrumentation.disable());
}

export const CONTENDERS: Contender[] = [
  { name: "bare client (no OpenTelemetry)", llm: false, setUp: async () => undefined },
  { name: "undici instrumentation alone", llm: false, setUp: (exporter, verifier) => nodeSdk(exporter, verifier) },
  {
    name: "@opentelemetry/instrumentation-openai",
    llm: true,
    setUp: async (exporter, verifier) => {
      const { OpenAIInstrumentation } = await import("@opentelemetry/instrumentation-openai");
      return nodeSdk(exporter, verifier, new OpenAIInstrumentation());
    },
  },
  {
    name: "@traceloop/instrumentation-openai",
    llm: true,
    setUp: async (exporter, verifier) => {
      const { OpenAIInstrumentation } = await import("@traceloop/instrumentation-openai");
      return nodeSdk(exporter, verifier, new OpenAIInstrumentation() as unknown as Instrumentation);
    },
  },
  {
    name: "@arizeai/openinference-instrumentation-openai",
    llm: true,
    setUp: async (exporter, verifier) => {
      const { OpenAIInstrumentation } = await import("@arizeai/openinference-instrumentation-openai");
      return nodeSdk(exporter, verifier, new OpenAIInstrumentation() as unknown as Instrumentation);
    },
  },
  {
    name: "@jotty/otel",
    llm: true,
    setUp: async (exporter, verifier) => {
      const { start, installFetchCapture } = await import("@jotty/otel");
      start({ traceExporter: exporter, spanProcessors: [verifier], metricReaders: [] });
      // start() installed the capture; installing again returns its uninstall function.
      let uninstall: (() => void) | undefined = installFetchCapture();
      return (on) => {
        if (on) uninstall ??= installFetchCapture();
        else {
          uninstall?.();
          uninstall = undefined;
        }
      };
    },
  },
];
