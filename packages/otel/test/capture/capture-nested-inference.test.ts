// When another instrumentation already records the call — here @anthropic-ai/sdk's own
// OpenTelemetry span `anthropic.messages.create` (CLIENT, gen_ai.operation.name=chat) — the
// capture does not start a second independent call: its llm_call is the provider-direct child,
// marked jotty.llm.nested_in_inference_span so the analyzer counts one call; the switch
// (insideInferenceSpans: false / JOTTY_CAPTURE_INSIDE_INFERENCE_SPANS=false) leaves it to the SDK.
import Anthropic from "@anthropic-ai/sdk";
import { context, trace } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resolveCaptureConfig } from "../../src/capture/config.js";
import { installFetchCapture } from "../../src/capture/index.js";
import { fixtureBytes } from "@jotty/test-kit/fixtures";
import { jsonHandler, startReplayServer, type ReplayServer } from "@jotty/test-kit/replay-server";
import { onlyLlmCall, setUpTracing, type Tracing } from "./helpers/tracing.js";

let tracing: Tracing;
let server: ReplayServer;
let uninstall = () => {};

beforeAll(async () => {
  tracing = setUpTracing();
  server = await startReplayServer();
  server.handle(jsonHandler(fixtureBytes("anthropic/anthropic-text.json")));
});
afterEach(() => {
  uninstall();
  tracing.reset();
});
afterAll(async () => {
  await server.close();
  await tracing.shutdown();
});

/** A client made after the capture is installed (SDK clients keep the fetch they saw). */
function ask(): Promise<Anthropic.Message> {
  const client = new Anthropic({ apiKey: "sk-ant-canary", baseURL: server.baseUrl, maxRetries: 0 });
  return client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] });
}

describe("inside the Anthropic SDK's own inference span", () => {
  it("our llm_call is its child, marked nested, with the provider's exact usage", async () => {
    uninstall = installFetchCapture({ captureContent: false });
    await ask();
    const { llm, attributes } = await onlyLlmCall(tracing);
    const sdkSpan = tracing.spans().find((s) => s.name === "anthropic.messages.create");
    expect(sdkSpan?.attributes["gen_ai.operation.name"]).toBe("chat");
    expect(llm.parentSpanContext?.spanId).toBe(sdkSpan?.spanContext().spanId);
    expect(attributes["jotty.llm.nested_in_inference_span"]).toBe(true);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(12);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(29);
  });

  it("switched off: no llm_call of ours, the SDK's span and the HTTP span remain", async () => {
    uninstall = installFetchCapture({ captureContent: false, insideInferenceSpans: false });
    const message = await ask();
    expect(message.usage.output_tokens).toBe(29);
    await tracing.exporter.forceFlush();
    expect(tracing.llmSpans()).toHaveLength(0);
    expect(tracing.spans().some((s) => s.name === "anthropic.messages.create")).toBe(true);
    expect(tracing.httpSpans()).toHaveLength(1);
  });

  it("a request under an ordinary span (a step) is not marked nested", async () => {
    uninstall = installFetchCapture({ captureContent: false });
    const step = trace.getTracer("test").startSpan("step plan");
    const client = new Anthropic({ apiKey: "sk-ant-canary", baseURL: server.baseUrl, maxRetries: 0, openTelemetry: false } as ConstructorParameters<
      typeof Anthropic
    >[0]);
    await context.with(trace.setSpan(context.active(), step), () =>
      client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] }),
    );
    step.end();
    const { attributes } = await onlyLlmCall(tracing);
    expect(attributes["jotty.llm.nested_in_inference_span"]).toBeUndefined();
  });

  it("the switch reads JOTTY_CAPTURE_INSIDE_INFERENCE_SPANS", () => {
    expect(resolveCaptureConfig({}, { JOTTY_CAPTURE_INSIDE_INFERENCE_SPANS: "false" }).insideInferenceSpans).toBe(false);
    expect(resolveCaptureConfig({}, {}).insideInferenceSpans).toBe(true);
  });
});
