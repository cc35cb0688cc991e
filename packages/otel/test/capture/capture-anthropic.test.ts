// The real `@anthropic-ai/sdk` client against recorded Anthropic Messages responses.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { fixtureBytes, fixtureEvents, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const env = useCaptureEnv((baseUrl) => new Anthropic({ apiKey: "sk-ant-canary", baseURL: baseUrl, maxRetries: 0 }));

const cases = [
  {
    fixture: "anthropic-text",
    model: "claude-sonnet-4-5-20250929",
    json: { id: "msg_01VdEjxAP5ahtHKrrRdNBteQ", input: 12, output: 29, reason: "end_turn" },
    stream: { id: "msg_01QC4g3HwBThD4BaNtBckFDJ", input: 12, output: 30, reason: "end_turn" },
  },
  {
    fixture: "anthropic-json-tool.1",
    model: "claude-haiku-4-5-20251001",
    json: { id: "msg_0191iYfpERYfS27xLsdW2nbb", input: 1151, output: 87, reason: "tool_use" },
    stream: { id: "msg_01K2JbSUMYhez5RHoK9ZCj9U", input: 849, output: 47, reason: "tool_use" },
  },
];

describe("Anthropic Messages through @anthropic-ai/sdk", () => {
  it.each(cases)("JSON $fixture", async (c) => {
    const body = fixtureBytes(`anthropic/${c.fixture}.json`);
    env.server.handle(jsonHandler(body));
    const message = await env.client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message).toEqual(JSON.parse(body.toString("utf8")));
    const { http, attributes } = await onlyLlmCall(env.tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.operation.name"]).toBe("chat");
    expect(attributes["gen_ai.provider.name"]).toBe("anthropic");
    expect(attributes["gen_ai.request.model"]).toBe("claude-sonnet-4-5");
    expect(attributes["gen_ai.request.stream"]).toBe(false);
    expect(attributes["gen_ai.response.model"]).toBe(c.model);
    expect(attributes["gen_ai.response.id"]).toBe(c.json.id);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual([c.json.reason]);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(c.json.input);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(c.json.output);
    expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(0);
    expect(attributes["gen_ai.usage.cache_creation.input_tokens"]).toBe(0);
    expect(attributes["gen_ai.usage.cache_write.input_tokens"]).toBe(0);
    expect(attributes["server.port"]).toBe(env.server.port);
  });

  it.each(cases)("SSE $fixture: message_start + message_delta usage", async (c) => {
    const name = `anthropic/${c.fixture}.chunks.txt`;
    env.server.handle(sseHandler(sseFrames(name, "anthropic")));
    const stream = await env.client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    const events: unknown[] = [];
    for await (const event of stream) events.push(event);
    // The SDK drops `ping` keep-alives; every other event arrives as sent.
    const sent = fixtureEvents(name).map((line) => JSON.parse(line) as { type: string });
    expect(events).toMatchObject(sent.filter((e) => e.type !== "ping"));
    const { http, attributes } = await onlyLlmCall(env.tracing);
    expect(http).toBeDefined();
    expect(attributes["gen_ai.request.stream"]).toBe(true);
    expect(attributes["gen_ai.response.model"]).toBe(c.model);
    expect(attributes["gen_ai.response.id"]).toBe(c.stream.id);
    expect(attributes["gen_ai.response.finish_reasons"]).toEqual([c.stream.reason]);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(c.stream.input);
    expect(attributes["gen_ai.usage.output_tokens"]).toBe(c.stream.output);
    expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(attributes["error.type"]).toBeUndefined();
  });

  it("cache reads and writes count as input (Anthropic's input_tokens excludes them)", async () => {
    const body = JSON.stringify({
      id: "msg_cache",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "ok" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 5 },
    });
    env.server.handle(jsonHandler(body));
    await env.client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] });
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(1210);
    expect(attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(1000);
    expect(attributes["gen_ai.usage.cache_creation.input_tokens"]).toBe(200);
    expect(attributes["gen_ai.usage.cache_write.input_tokens"]).toBe(200);
  });
});
