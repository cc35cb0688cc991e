// The real `@aws-sdk/client-bedrock-runtime` (NodeHttpHandler, so node:http) against recorded
// Bedrock responses: Converse (JSON), ConverseStream (binary event stream), InvokeModel.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "../helpers/capture-env.js";
import { fixtureBytes, fixtureEvents } from "@jotty/test-kit/fixtures";
import { Gate, jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "../helpers/tracing.js";
import { eventFrame, eventStreamFrames, slices } from "./event-stream-frames.js";

const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const EVENT_STREAM = { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "req-1" };

const transports = [
  // The client's default: NodeHttp2Handler (node:http2).
  { transport: "http2 (the client's default handler)", http2: true },
  { transport: "http/1.1 (NodeHttpHandler)", http2: false },
];

describe.each(transports)("Amazon Bedrock Runtime through @aws-sdk/client-bedrock-runtime over $transport", ({ http2 }) => {
  const env = useCaptureEnv(
    (baseUrl) =>
      new BedrockRuntimeClient({
        region: "us-east-1",
        endpoint: baseUrl,
        credentials: { accessKeyId: "AKIDCANARY", secretAccessKey: "canary-secret-key" },
        maxAttempts: 1,
        ...(http2 ? {} : { requestHandler: new NodeHttpHandler() }),
      }),
    { server: async () => ({ http2 }) },
  );

  const converseInput = { modelId: MODEL, messages: [{ role: "user" as const, content: [{ text: "How many r in strawberry?" }] }] };

  async function converseStream(): Promise<{ events: ConverseStreamOutput[]; metadata: unknown }> {
    const output = await env.client.send(new ConverseStreamCommand(converseInput));
    const events: ConverseStreamOutput[] = [];
    for await (const event of output.stream!) events.push(event);
    return { events, metadata: output.$metadata.httpStatusCode };
  }

  it("Converse: usage, stop reason, model from the path, priced", async () => {
    env.server.handle(jsonHandler(fixtureBytes("bedrock/amazon-bedrock-text.json"), 200, { "x-amzn-requestid": "req-1" }));
    const withoutCapture = await env.withoutCapture(() => env.client.send(new ConverseCommand(converseInput)));
    const output = await env.client.send(new ConverseCommand(converseInput));
    expect(output).toEqual(withoutCapture);
    expect(output.usage?.inputTokens).toBe(22);

    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.provider.name"]).toBe("aws.bedrock");
    expect(attributes["gen_ai.operation.name"]).toBe("chat");
    expect(attributes["gen_ai.request.model"]).toBe(MODEL);
    expect(attributes["gen_ai.request.stream"]).toBe(false);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(22);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(57);
    expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(0);
    expect(attributes["gen_ai.usage.cache_write.input_tokens"]).toBe(0);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["end_turn"]);
    // Claude 3 Haiku on Bedrock: $0.25 / $1.25 per million tokens.
    expect(attributes["gen_ai.usage.cost"]).toBeCloseTo((22 * 0.25 + 57 * 1.25) / 1e6, 12);
    expect(attributes["jotty.llm.usage_missing"]).toBeUndefined();
    // The request went out signed and unchanged.
    expect(env.server.requests.at(-1)?.url).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(JSON.stringify(attributes)).not.toContain("canary-secret-key");
  });

  it.each([
    { fixture: "bedrock-text.eventstream", input: 22, output: 55, cacheRead: undefined, cacheWrite: undefined },
    { fixture: "issue-18994-live-converse-stream.eventstream", input: 12, output: 5, cacheRead: undefined, cacheWrite: undefined },
    { fixture: "bedrock-prompt-cache.documented.eventstream", input: 14 + 3072 + 1062, output: 12, cacheRead: 3072, cacheWrite: 1062 },
  ])("ConverseStream $fixture: usage from the metadata event, time to first chunk", async (c) => {
    const frames = eventStreamFrames(fixtureBytes(`bedrock/${c.fixture}`));
    env.server.handle(sseHandler(frames, { headers: EVENT_STREAM }));
    const reference = await env.withoutCapture(converseStream);
    env.tracing.reset();

    const gate = new Gate();
    env.server.handle(sseHandler(frames, { headers: EVENT_STREAM, gate }));
    gate.release(1);
    const output = await env.client.send(new ConverseStreamCommand(converseInput));
    const events: ConverseStreamOutput[] = [];
    const iterator = output.stream![Symbol.asyncIterator]();
    // The first frame arrives alone: the span is still open and already has its time to first chunk.
    events.push((await iterator.next()).value as ConverseStreamOutput);
    expect(env.tracing.llmSpans()).toHaveLength(0);
    gate.open();
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) events.push(next.value);
    expect({ events, metadata: output.$metadata.httpStatusCode }).toEqual(reference);
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBe(c.output);

    const { llm, attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(c.input);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(c.output);
    expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(c.cacheRead);
    expect(attributes["gen_ai.usage.cache_write.input_tokens"]).toBe(c.cacheWrite);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual(["end_turn"]);
    const ttfc = attributes["gen_ai.response.time_to_first_chunk"] as number;
    const duration = llm.duration[0] + llm.duration[1] / 1e9;
    expect(ttfc).toBeGreaterThan(0);
    expect(ttfc).toBeLessThanOrEqual(duration);
    expect(attributes["error.type"]).toBeUndefined();
  });

  it("ConverseStream exception frame: the span carries the exception type, the app gets the SDK's error", async () => {
    const frames = eventStreamFrames(fixtureBytes("bedrock/model-stream-error-exception.eventstream"));
    env.server.handle(sseHandler(frames, { headers: EVENT_STREAM }));
    const failure = (error: unknown) => ({ name: (error as Error).name, message: (error as Error).message });
    const reference = await env.withoutCapture(() => converseStream().then(() => undefined, failure));
    env.tracing.reset();
    const result = await converseStream().then(() => undefined, failure);
    expect(result).toEqual(reference);
    expect(result?.name).toBe("ModelStreamErrorException");
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["error.type"]).toBe("modelStreamErrorException");
    expect(attributes["jotty.llm.usage_missing"]).toBe(true);
  });

  it("ConverseStream cut at arbitrary byte boundaries (7-byte writes): the same usage", async () => {
    const body = fixtureBytes("bedrock/bedrock-text.eventstream");
    env.server.handle(sseHandler(slices(body, 7), { headers: EVENT_STREAM }));
    const { events } = await converseStream();
    expect(events).toHaveLength(16);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(22);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(55);
  });

  it("InvokeModelWithResponseStream (Claude): the model's own events inside `chunk` frames", async () => {
    // Bedrock wraps each of the model's stream events, base64, in a `chunk` event and adds its
    // invocation metrics to the last one; the events are Anthropic's recorded ones.
    const events = fixtureEvents("anthropic/anthropic-text.chunks.txt").map((line) => JSON.parse(line) as Record<string, unknown>);
    const last = events.at(-1)!;
    last["amazon-bedrock-invocationMetrics"] = { inputTokenCount: 12, outputTokenCount: 30, invocationLatency: 900, firstByteLatency: 300 };
    const frames = events.map((event) => eventFrame("chunk", { bytes: Buffer.from(JSON.stringify(event)).toString("base64") }));
    env.server.handle(sseHandler(frames, { headers: EVENT_STREAM }));
    const request = {
      modelId: MODEL,
      contentType: "application/json",
      body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "Hello" }] }),
    };
    const read = async () => {
      const output = await env.client.send(new InvokeModelWithResponseStreamCommand(request));
      const chunks: string[] = [];
      for await (const event of output.body!) chunks.push(Buffer.from(event.chunk!.bytes!).toString("utf8"));
      return chunks;
    };
    const reference = await env.withoutCapture(read);
    env.tracing.reset();
    expect(await read()).toEqual(reference);
    expect(reference).toHaveLength(events.length);
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.model": "claude-sonnet-4-5-20250929",
      "gen_ai.response.finish_reasons": ["end_turn"],
    });
    expect([attributes["gen_ai.usage.input_tokens"], attributes["gen_ai.usage.output_tokens"]]).toEqual([12, 30]);
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("InvokeModel (Claude's Messages body): usage from the body, else Bedrock's token-count headers", async () => {
    const body = fixtureBytes("anthropic/anthropic-text.json");
    const request = {
      modelId: MODEL,
      contentType: "application/json",
      body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "Hello" }] }),
    };
    env.server.handle(jsonHandler(body));
    const reference = await env.withoutCapture(() => env.client.send(new InvokeModelCommand(request)));
    env.tracing.reset();
    const output = await env.client.send(new InvokeModelCommand(request));
    expect(Buffer.from(output.body).equals(Buffer.from(reference.body))).toBe(true);
    let { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.provider.name"]).toBe("aws.bedrock");
    expect(attributes["gen_ai.request.model"]).toBe(MODEL);
    expect(attributes["gen_ai.response.model"]).toBe("claude-sonnet-4-5-20250929");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(12);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(29);

    // A model whose body has no usage the capture knows (Llama's): the headers Bedrock adds tell.
    env.tracing.reset();
    const llama = JSON.stringify({ generation: "Hi!", prompt_token_count: 9, generation_token_count: 3, stop_reason: "stop" });
    env.server.handle(jsonHandler(llama, 200, { "x-amzn-bedrock-input-token-count": "9", "x-amzn-bedrock-output-token-count": "3" }));
    await env.client.send(new InvokeModelCommand({ ...request, modelId: "meta.llama3-8b-instruct-v1:0", body: JSON.stringify({ prompt: "Hi" }) }));
    ({ attributes } = await onlyLlmCall(env.tracing));
    expect(attributes["gen_ai.request.model"]).toBe("meta.llama3-8b-instruct-v1:0");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(9);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(3);
  });
});
