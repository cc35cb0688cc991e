// Ollama's native API through the real `ollama` client: /api/chat, /api/generate (JSON and the
// default NDJSON stream) and /api/embed, replayed in Ollama's wire format. Tokens from
// prompt_eval_count / eval_count, the model, done_reason, Ollama's server timings (ns); no cost.
import { Ollama } from "ollama";
import { describe, expect, it } from "vitest";
import { useCaptureEnv } from "./helpers/capture-env.js";
import { fixtureBytes, fixtureJson } from "@jotty/test-kit/fixtures";
import type { Handler } from "@jotty/test-kit/replay-server";
import { onlyLlmCall } from "./helpers/tracing.js";

const env = useCaptureEnv((baseUrl) => new Ollama({ host: baseUrl }));

/** Ollama's framing: JSON with charset, or one JSON object per line as application/x-ndjson. */
function ollamaHandler(name: string): Handler {
  const body = fixtureBytes(`ollama/${name}`);
  const ndjson = name.endsWith(".ndjson");
  return (_req, res) => {
    res.writeHead(200, { "content-type": ndjson ? "application/x-ndjson" : "application/json; charset=utf-8" });
    if (!ndjson) return void res.end(body);
    // Line by line, as Ollama flushes each object.
    for (const line of body.toString("utf8").split(/(?<=\n)/)) res.write(line);
    res.end();
  };
}

interface Final {
  model: string;
  done_reason?: string;
  prompt_eval_count: number;
  eval_count?: number;
  load_duration: number;
  prompt_eval_duration?: number;
  eval_duration?: number;
  total_duration: number;
}

function expectOllamaSpan(attributes: Record<string, unknown>, final: Final, operation: string, stream: boolean): void {
  expect(attributes).toMatchObject({
    "gen_ai.provider.name": "ollama",
    "gen_ai.operation.name": operation,
    "gen_ai.request.stream": stream,
    "gen_ai.response.model": final.model,
    "gen_ai.usage.input_tokens": final.prompt_eval_count,
    "gen_ai.usage.output_tokens": final.eval_count ?? 0,
    "ollama.load_duration_ns": final.load_duration,
    "ollama.total_duration_ns": final.total_duration,
  });
  expect(attributes["ollama.prompt_eval_duration_ns"]).toBe(final.prompt_eval_duration);
  expect(attributes["ollama.eval_duration_ns"]).toBe(final.eval_duration);
  if (final.done_reason !== undefined) expect(attributes["gen_ai.response.finish_reasons"]).toEqual([final.done_reason]);
  expect(attributes["gen_ai.usage.cost"]).toBeUndefined();
  expect(attributes["jotty.llm.usage_missing"]).toBeUndefined();
  expect(attributes["error.type"]).toBeUndefined();
  if (stream) expect(attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
}

const finalLine = (name: string): Final => JSON.parse(fixtureBytes(`ollama/${name}`).toString("utf8").trim().split("\n").at(-1)!) as Final;

describe("Ollama native API through the ollama client", () => {
  it("chat, JSON", async () => {
    env.server.handle(ollamaHandler("ollama-chat.json"));
    const response = await env.client.chat({ model: "llama3.2", messages: [{ role: "user", content: "What is the weather today in Paris?" }], stream: false });
    expect(response.message.tool_calls?.[0]?.function.name).toBe("get_current_weather");
    expectOllamaSpan((await onlyLlmCall(env.tracing)).attributes, fixtureJson("ollama/ollama-chat.json") as Final, "chat", false);
    expect(env.server.requests.at(-1)?.url).toBe("/api/chat");
  });

  it("chat, NDJSON stream (the default)", async () => {
    env.server.handle(ollamaHandler("ollama-chat.ndjson"));
    let text = "";
    for await (const part of await env.client.chat({ model: "llama3.2", messages: [{ role: "user", content: "why is the sky blue?" }], stream: true }))
      text += part.message.content;
    expect(text).toBe("The sky is blue.");
    expectOllamaSpan((await onlyLlmCall(env.tracing)).attributes, finalLine("ollama-chat.ndjson"), "chat", true);
  });

  it("generate, JSON", async () => {
    env.server.handle(ollamaHandler("ollama-generate.json"));
    const response = await env.client.generate({ model: "codellama:code", prompt: "def compute_gcd(a, b):", suffix: "    return result", stream: false });
    expect(response.done_reason).toBe("stop");
    expectOllamaSpan((await onlyLlmCall(env.tracing)).attributes, fixtureJson("ollama/ollama-generate.json") as Final, "text_completion", false);
  });

  it("generate, NDJSON stream", async () => {
    env.server.handle(ollamaHandler("ollama-generate.ndjson"));
    let text = "";
    for await (const part of await env.client.generate({ model: "llama3.2", prompt: "Why is the sky blue?", stream: true })) text += part.response;
    expect(text).toBe("The sky is blue.");
    expectOllamaSpan((await onlyLlmCall(env.tracing)).attributes, finalLine("ollama-generate.ndjson"), "text_completion", true);
  });

  it("embed", async () => {
    env.server.handle(ollamaHandler("ollama-embed.json"));
    const response = await env.client.embed({ model: "all-minilm", input: "Why is the sky blue?" });
    expect(response.embeddings[0]).toHaveLength(10);
    expectOllamaSpan((await onlyLlmCall(env.tracing)).attributes, fixtureJson("ollama/ollama-embed.json") as Final, "embeddings", false);
  });
});
