import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { LlmUsage } from "../../src/llm/types.js";
import { EventStreamCodec } from "@smithy/core/event-streams";
import {
  usageFromAnthropic,
  usageFromBedrock,
  usageFromGemini,
  usageFromOpenAIChat,
  usageFromOllama,
  usageFromOpenAIResponses,
} from "../../src/llm/usage-adapters.js";
import { usageFromCohere } from "../../src/capture/apis/cohere-chat.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/llm/", import.meta.url));

type Json = Record<string, any>; // recorded provider payloads, read loosely on purpose

function body(file: string): Json {
  return JSON.parse(readFileSync(fixtures + file, "utf8")) as Json;
}

function events(file: string): Json[] {
  return readFileSync(fixtures + file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Json);
}

/** Bedrock ConverseStream: the `metadata` event's usage, from `*.chunks.txt` lines or a binary event stream. */
const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);
function bedrockStreamUsage(file: string): unknown {
  if (file.endsWith(".chunks.txt")) return events(file).findLast((e) => e.metadata != null)?.metadata.usage;
  const bytes = readFileSync(fixtures + file);
  let usage: unknown;
  for (let at = 0; at < bytes.byteLength; at += bytes.readUInt32BE(at)) {
    const message = codec.decode(bytes.subarray(at, at + bytes.readUInt32BE(at)));
    if (message.headers[":event-type"]?.value === "metadata") usage = (JSON.parse(new TextDecoder().decode(message.body)) as Json).usage;
  }
  return usage;
}

const lastWithUsage = (file: string, key = "usage") => events(file).findLast((e) => e[key] != null)![key];

const anthropicStream = (file: string) => {
  const all = events(file);
  const start = all.find((e) => e.type === "message_start")!.message.usage;
  const delta = all.findLast((e) => e.type === "message_delta")!.usage;
  return usageFromAnthropic(start, delta);
};

// Every file in fixtures/llm/SOURCES.tsv with the exact usage its adapter must produce.
const expected: Record<string, { usage: () => LlmUsage | undefined; want: LlmUsage | undefined }> = {
  "openai-chat/openai-text.json": {
    usage: () => usageFromOpenAIChat(body("openai-chat/openai-text.json").usage),
    want: { inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  "openai-chat/openai-text.chunks.txt": {
    usage: () => usageFromOpenAIChat(lastWithUsage("openai-chat/openai-text.chunks.txt")),
    want: { inputTokens: 16, outputTokens: 300, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  // Azure's model-router stream: reasoning inside completion_tokens.
  "openai-chat/azure-model-router.1.chunks.txt": {
    usage: () => usageFromOpenAIChat(lastWithUsage("openai-chat/azure-model-router.1.chunks.txt")),
    want: { inputTokens: 15, outputTokens: 78, cacheReadTokens: 0, reasoningTokens: 64 },
  },
  "openai-chat/openai-rate-limit-tokens.429.json": {
    usage: () => usageFromOpenAIChat(body("openai-chat/openai-rate-limit-tokens.429.json").usage),
    want: undefined,
  },
  "together/together-text.json": { usage: () => usageFromOpenAIChat(body("together/together-text.json").usage), want: { inputTokens: 42, outputTokens: 8 } },
  "together/together-text.chunks.txt": {
    usage: () => usageFromOpenAIChat(lastWithUsage("together/together-text.chunks.txt")),
    want: { inputTokens: 42, outputTokens: 8 },
  },
  // Cohere: the tokens the model read (cached ones among them) and wrote; priced on the billed units.
  "cohere/cohere-text.json": {
    usage: () => usageFromCohere(body("cohere/cohere-text.json").usage),
    want: { inputTokens: 507, outputTokens: 10, cacheReadTokens: 448, billed: { inputTokens: 12, outputTokens: 7 } },
  },
  "cohere/cohere-text.chunks.txt": {
    usage: () => usageFromCohere(events("cohere/cohere-text.chunks.txt").findLast((e) => e.type === "message-end")!.delta.usage),
    want: { inputTokens: 507, outputTokens: 10, cacheReadTokens: 448, billed: { inputTokens: 12, outputTokens: 7 } },
  },
  "groq/groq-text.json": {
    usage: () => usageFromOpenAIChat(body("groq/groq-text.json").usage),
    want: { inputTokens: 45, outputTokens: 607 },
  },
  "groq/groq-text.chunks.txt": {
    usage: () => usageFromOpenAIChat(lastWithUsage("groq/groq-text.chunks.txt")),
    want: { inputTokens: 45, outputTokens: 662 },
  },
  // xAI reports reasoning outside completion_tokens (total = 12 + 2 + 320): output adds it back.
  "openai-compatible-chat/xai-text.json": {
    usage: () => usageFromOpenAIChat(body("openai-compatible-chat/xai-text.json").usage),
    want: { inputTokens: 12, outputTokens: 322, cacheReadTokens: 2, reasoningTokens: 320 },
  },
  "openai-compatible-chat/xai-text.chunks.txt": {
    usage: () => usageFromOpenAIChat(lastWithUsage("openai-compatible-chat/xai-text.chunks.txt")),
    want: { inputTokens: 12, outputTokens: 342, cacheReadTokens: 11, reasoningTokens: 340 },
  },
  "openai-responses/openai-web-search-tool.1.json": {
    usage: () => usageFromOpenAIResponses(body("openai-responses/openai-web-search-tool.1.json").usage),
    want: { inputTokens: 19681, outputTokens: 3773, cacheReadTokens: 3712, reasoningTokens: 3136 },
  },
  "openai-responses/openai-web-search-tool.1.chunks.txt": {
    usage: () =>
      usageFromOpenAIResponses(events("openai-responses/openai-web-search-tool.1.chunks.txt").find((e) => e.type === "response.completed")!.response.usage),
    want: { inputTokens: 31073, outputTokens: 4416, cacheReadTokens: 3712, reasoningTokens: 3712 },
  },
  "openai-chat/openai-rate-limit.429.json": {
    usage: () => usageFromOpenAIChat(body("openai-chat/openai-rate-limit.429.json").usage),
    want: undefined,
  },
  "openai-chat/openai-server-error.500.json": {
    usage: () => usageFromOpenAIChat(body("openai-chat/openai-server-error.500.json").usage),
    want: undefined,
  },
  "openai-chat/openai-invalid-request.400.json": {
    usage: () => usageFromOpenAIChat(body("openai-chat/openai-invalid-request.400.json").usage),
    want: undefined,
  },
  "openai-responses/openai-error.1.json": {
    usage: () => usageFromOpenAIResponses(body("openai-responses/openai-error.1.json").usage),
    want: undefined,
  },
  "anthropic/anthropic-text.json": {
    usage: () => usageFromAnthropic(body("anthropic/anthropic-text.json").usage),
    want: { inputTokens: 12, outputTokens: 29, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  "anthropic/anthropic-text.chunks.txt": {
    usage: () => anthropicStream("anthropic/anthropic-text.chunks.txt"),
    want: { inputTokens: 12, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  "anthropic/anthropic-json-tool.1.json": {
    usage: () => usageFromAnthropic(body("anthropic/anthropic-json-tool.1.json").usage),
    want: { inputTokens: 1151, outputTokens: 87, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  "anthropic/anthropic-json-tool.1.chunks.txt": {
    usage: () => anthropicStream("anthropic/anthropic-json-tool.1.chunks.txt"),
    want: { inputTokens: 849, outputTokens: 47, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  "anthropic/anthropic-web-fetch-tool.2.json": {
    usage: () => usageFromAnthropic(body("anthropic/anthropic-web-fetch-tool.2.json").usage),
    want: { inputTokens: 28638, outputTokens: 365, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  // message_delta's cumulative usage: input 6 + cache write 3337 + cache read 6289.
  "anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt": {
    usage: () => anthropicStream("anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt"),
    want: { inputTokens: 9632, outputTokens: 198, cacheReadTokens: 6289, cacheWriteTokens: 3337 },
  },
  // Gemini's candidatesTokenCount excludes thinking: output = 28 + 244 (total 281 = 9 + 28 + 244).
  "google/google-structured-output-with-tools-error.json": {
    usage: () => usageFromGemini(body("google/google-structured-output-with-tools-error.json").usageMetadata),
    want: undefined,
  },
  "google/google-text.json": {
    usage: () => usageFromGemini(body("google/google-text.json").usageMetadata),
    want: { inputTokens: 9, outputTokens: 272, reasoningTokens: 244 },
  },
  "google/google-text.chunks.txt": {
    usage: () => usageFromGemini(lastWithUsage("google/google-text.chunks.txt", "usageMetadata")),
    want: { inputTokens: 9, outputTokens: 208, reasoningTokens: 185 },
  },
  // Ollama: the final object's prompt_eval_count / eval_count (embeddings have no output).
  "ollama/ollama-chat.json": { usage: () => usageFromOllama(body("ollama/ollama-chat.json")), want: { inputTokens: 122, outputTokens: 33 } },
  "ollama/ollama-chat.ndjson": { usage: () => usageFromOllama(events("ollama/ollama-chat.ndjson").at(-1)), want: { inputTokens: 26, outputTokens: 282 } },
  "ollama/ollama-generate.json": { usage: () => usageFromOllama(body("ollama/ollama-generate.json")), want: { inputTokens: 17, outputTokens: 63 } },
  "ollama/ollama-generate.ndjson": {
    usage: () => usageFromOllama(events("ollama/ollama-generate.ndjson").at(-1)),
    want: { inputTokens: 26, outputTokens: 259 },
  },
  "ollama/ollama-embed.json": { usage: () => usageFromOllama(body("ollama/ollama-embed.json")), want: { inputTokens: 8, outputTokens: 0 } },
  // Bedrock's inputTokens excludes cache reads and writes: input = 14 + 3072 + 1062.
  "bedrock/amazon-bedrock-text.json": {
    usage: () => usageFromBedrock(body("bedrock/amazon-bedrock-text.json").usage),
    want: { inputTokens: 22, outputTokens: 57, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  ...Object.fromEntries(
    (
      [
        ["bedrock/bedrock-text.chunks.txt", { inputTokens: 22, outputTokens: 55 }],
        ["bedrock/bedrock-text.eventstream", { inputTokens: 22, outputTokens: 55 }],
        ["bedrock/issue-18994-live-converse-stream.eventstream", { inputTokens: 12, outputTokens: 5 }],
        ["bedrock/model-stream-error-exception.eventstream", undefined],
        ["bedrock/bedrock-prompt-cache.documented.chunks.txt", { inputTokens: 4148, outputTokens: 12, cacheReadTokens: 3072, cacheWriteTokens: 1062 }],
        ["bedrock/bedrock-prompt-cache.documented.eventstream", { inputTokens: 4148, outputTokens: 12, cacheReadTokens: 3072, cacheWriteTokens: 1062 }],
      ] as Array<[string, LlmUsage | undefined]>
    ).map(([file, want]) => [file, { usage: () => usageFromBedrock(bedrockStreamUsage(file)), want }]),
  ),
};

const listed = readFileSync(fixtures + "SOURCES.tsv", "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => line.split("\t")[0]!);

describe("usage adapters on the recorded provider responses", () => {
  it("covers every fixture listed in SOURCES.tsv", () => {
    expect(Object.keys(expected).sort()).toEqual([...listed].sort());
  });

  it.each(listed)("%s", (file) => {
    const { usage, want } = expected[file]!;
    expect(usage()).toEqual(want);
  });
});

describe("usage adapters on cache-heavy and malformed input", () => {
  it("adds Anthropic cache reads and writes to input (its input_tokens excludes them)", () => {
    expect(
      usageFromAnthropic({
        input_tokens: 50,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 200,
        output_tokens: 10,
      }),
    ).toEqual({ inputTokens: 1250, outputTokens: 10, cacheReadTokens: 1000, cacheWriteTokens: 200 });
  });

  it("keeps OpenAI's cached tokens inside input and reasoning inside output", () => {
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 2000,
        completion_tokens: 500,
        total_tokens: 2500,
        prompt_tokens_details: { cached_tokens: 1536 },
        completion_tokens_details: { reasoning_tokens: 448 },
      }),
    ).toEqual({ inputTokens: 2000, outputTokens: 500, cacheReadTokens: 1536, reasoningTokens: 448 });
  });

  it("reads Gemini cached content and tool-use prompt tokens", () => {
    expect(
      usageFromGemini({
        promptTokenCount: 4000,
        cachedContentTokenCount: 3000,
        toolUsePromptTokenCount: 100,
        candidatesTokenCount: 50,
      }),
    ).toEqual({ inputTokens: 4100, outputTokens: 50, cacheReadTokens: 3000 });
  });

  it.each([null, undefined, "usage", 42, [], {}, { prompt_tokens: "12" }, { input_tokens: -1, output_tokens: 2 }])("returns undefined for %j", (raw) => {
    expect(usageFromOpenAIChat(raw)).toBeUndefined();
    expect(usageFromOpenAIResponses(raw)).toBeUndefined();
    expect(usageFromAnthropic(raw)).toBeUndefined();
    expect(usageFromGemini(raw)).toBeUndefined();
    expect(usageFromBedrock(raw)).toBeUndefined();
  });
});
