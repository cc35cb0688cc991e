// start() beside a tracer provider another SDK set up (here the SDK 2 BasicTracerProvider that
// Langfuse and OpenLLMetry build on), in this process: whichever registers first, spans reach
// both pipelines, and shutdown() leaves the other provider as it was. The real-package,
// real-process cases are in peer-sdks.test.ts.
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { InMemorySpanExporter as OurMemoryExporter, SimpleSpanProcessor as OurSimpleProcessor } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import { shutdown, start } from "../../src/wiring/start.js";
import { useQuietStart } from "./quiet-start.js";

function peer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return {
    provider,
    names: async () => {
      await provider.forceFlush();
      return exporter.getFinishedSpans().map((s) => s.name);
    },
  };
}

function ours() {
  const exporter = new OurMemoryExporter();
  const processor = new OurSimpleProcessor({ exporter });
  return {
    processor,
    names: async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans().map((s) => s.name);
    },
  };
}

const endSpan = (name: string) => trace.getTracer("test").startSpan(name).end();

describe("start() beside another tracer provider", () => {
  useQuietStart();
  afterEach(() => {
    trace.disable();
  });

  it("registered after start(): it is accepted and gets the spans ours makes, until shutdown()", async () => {
    const our = ours();
    start({ spanProcessors: [our.processor] });
    const other = peer();
    expect(trace.setGlobalTracerProvider(other.provider)).toBe(true);
    endSpan("both");
    expect(await other.names()).toEqual(["both"]);
    expect(await our.names()).toEqual(["both"]);
    await shutdown();
    endSpan("after shutdown");
    expect(await other.names()).toEqual(["both"]);
  });

  it("registered before start(): it keeps the global place and ours gets its spans, until shutdown()", async () => {
    const other = peer();
    trace.setGlobalTracerProvider(other.provider);
    const our = ours();
    start({ spanProcessors: [our.processor] });
    endSpan("both");
    expect(await other.names()).toEqual(["both"]);
    expect(await our.names()).toEqual(["both"]);
    await shutdown();
    // Our processors left its list (ours are shut down; its own keep working).
    endSpan("peer only");
    expect(await other.names()).toEqual(["both", "peer only"]);
  });
});
