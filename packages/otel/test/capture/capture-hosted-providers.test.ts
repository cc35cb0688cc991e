// Cohere (v2 chat and chatStream), Together and Azure OpenAI through their real clients, each
// pointed at its real host name (resolved to the replay server, over plain HTTP), against
// recorded-shape responses: exact tokens, model, id, provider and cost.
import { CohereClientV2 } from "cohere-ai";
import { AzureOpenAI } from "openai";
import Together from "together-ai";
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { fixtureBytes, sseFrames } from "@jotty/test-kit/fixtures";
import { jsonHandler, sseHandler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const env = useCaptureEnv();

// Every host name resolves to the replay server (Node's fetch takes undici's global dispatcher).
let previous: Dispatcher;
let agent: Agent;
beforeAll(() => {
  previous = getGlobalDispatcher();
  agent = new Agent({
    connect: {
      lookup: (_host, options, callback) =>
        (options as { all?: boolean }).all
          ? (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: "127.0.0.1", family: 4 }])
          : callback(null, "127.0.0.1", 4),
    },
  });
  setGlobalDispatcher(agent);
});
afterAll(async () => {
  setGlobalDispatcher(previous);
  await agent.close();
});

const at = (host: string) => `http://${host}:${env.server.port}`;
const messages = [{ role: "user" as const, content: "What is the capital of France?" }];

describe("Cohere v2 chat (cohere-ai)", () => {
  // cohere-text.json: tokens 507 in (448 of them cached) / 10 out; billed 12 / 7. command-a-03-2025
  // costs $2.50 / $10 per million billed tokens.
  const expected = {
    "gen_ai.provider.name": "cohere",
    "gen_ai.request.model": "command-a-03-2025",
    "gen_ai.usage.input_tokens": 507,
    "gen_ai.usage.output_tokens": 10,
    "gen_ai.usage.cache_read.input_tokens": 448,
    "server.address": "api.cohere.com",
  };
  const cost = (12 * 2.5 + 7 * 10) / 1e6;

  it("chat: the tokens the model read and wrote, the id, the cost of the billed units", async () => {
    env.server.handle(jsonHandler(fixtureBytes("cohere/cohere-text.json")));
    const client = new CohereClientV2({ token: "co-test", environment: at("api.cohere.com") });
    const response = await client.chat({ model: "command-a-03-2025", messages });
    expect(response.id).toBe("e7592632-1e3d-424f-b129-bd5f9f980f7b");
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes).toMatchObject({
      ...expected,
      "gen_ai.response.id": "e7592632-1e3d-424f-b129-bd5f9f980f7b",
      "gen_ai.response.finish_reasons": ["COMPLETE"],
    });
    expect(attributes["gen_ai.usage.cost"]).toBeCloseTo(cost, 12);
    expect(env.server.requests.at(-1)!.url).toBe("/v2/chat");
  });

  it("chatStream: the same from message-start and message-end", async () => {
    env.server.handle(sseHandler(sseFrames("cohere/cohere-text.chunks.txt", "anthropic")));
    const client = new CohereClientV2({ token: "co-test", environment: at("api.cohere.com") });
    let text = "";
    for await (const event of await client.chatStream({ model: "command-a-03-2025", messages })) {
      if (event.type === "content-delta") text += event.delta?.message?.content?.text ?? "";
    }
    expect(text).toBe("The capital of France is Paris.");
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes).toMatchObject({ ...expected, "gen_ai.response.id": "321d178c-2c12-44d3-ae42-2f5510f6b1cc", "gen_ai.request.stream": true });
    expect(attributes["gen_ai.usage.cost"]).toBeCloseTo(cost, 12);
  });
});

describe("Together (together-ai)", () => {
  // 42 in / 8 out; meta-llama/Llama-3.3-70B-Instruct-Turbo costs $0.88 per million either way.
  const expected = {
    "gen_ai.provider.name": "together",
    "gen_ai.request.model": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "gen_ai.response.model": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "gen_ai.usage.input_tokens": 42,
    "gen_ai.usage.output_tokens": 8,
    "server.address": "api.together.ai",
  };
  const cost = (50 * 0.88) / 1e6;
  const client = () => new Together({ apiKey: "tg-test", baseURL: `${at("api.together.ai")}/v1`, maxRetries: 0 });

  it("chat: provider together from its host, so the catalog's price", async () => {
    env.server.handle(jsonHandler(fixtureBytes("together/together-text.json")));
    await client().chat.completions.create({ model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", messages });
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes).toMatchObject({ ...expected, "gen_ai.response.id": "o4qGAC6-2kFHot-9a1b2c3d4e5f6071" });
    expect(attributes["gen_ai.usage.cost"]).toBeCloseTo(cost, 12);
  });

  it("stream: the same from the last chunk", async () => {
    env.server.handle(sseHandler(sseFrames("together/together-text.chunks.txt", "openai")));
    const stream = await client().chat.completions.create({ model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", messages, stream: true });
    for await (const _ of stream) void _;
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes).toMatchObject({ ...expected, "gen_ai.response.id": "o4qGFoM-2kFHot-9a1b2c3d4e5f6072" });
    expect(attributes["gen_ai.usage.cost"]).toBeCloseTo(cost, 12);
  });
});

describe("Azure OpenAI (openai's AzureOpenAI)", () => {
  it("chat stream: the first chunk's empty model and id never win over the real ones", async () => {
    env.server.handle(sseHandler(sseFrames("openai-chat/azure-model-router.1.chunks.txt", "openai")));
    const client = new AzureOpenAI({
      apiKey: "az-test",
      endpoint: at("jotty-test.openai.azure.com"),
      apiVersion: "2024-10-21",
      deployment: "model-router",
      maxRetries: 0,
    });
    const stream = await client.chat.completions.create({ model: "model-router", messages, stream: true, stream_options: { include_usage: true } });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Capital of Denmark.");
    const { attributes } = await onlyLlmCall(env.tracing);
    expect(attributes).toMatchObject({
      "gen_ai.provider.name": "azure.ai.openai",
      "gen_ai.request.model": "model-router",
      "gen_ai.response.model": "gpt-5-nano-2025-08-07",
      "gen_ai.response.id": "chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt",
      "gen_ai.usage.input_tokens": 15,
      "gen_ai.usage.output_tokens": 78,
      "gen_ai.usage.reasoning.output_tokens": 64,
    });
    // gpt-5-nano on Azure: $0.05 / $0.40 per million.
    expect(attributes["gen_ai.usage.cost"]).toBeCloseTo((15 * 0.05 + 78 * 0.4) / 1e6, 12);
    expect(env.server.requests.at(-1)!.url).toMatch(/^\/openai\/deployments\/model-router\/chat\/completions\?api-version=2024-10-21$/);
  });
});
