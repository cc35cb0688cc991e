// One chat call through the real openai client. With `explicit` the call is wrapped in llmCall()
// (tokens read from the response); otherwise the fetch capture of @jotty/otel/register makes the
// llm_call span on its own.
import { llmCall, usageFromOpenAIChat, type LlmCallHandle } from "@jotty/otel";
import type OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";

export interface ChatRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  maxTokens: number;
  stream: boolean;
  signal: AbortSignal;
}

export type LlmSpans = "capture" | "explicit";

export async function chat(client: OpenAI, request: ChatRequest, spans: LlmSpans): Promise<string> {
  if (spans === "capture") return send(client, request);
  const url = new URL(client.baseURL);
  return llmCall(
    {
      provider: "openai",
      model: request.model,
      stream: request.stream,
      serverAddress: url.hostname,
      serverPort: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
    },
    (call) => send(client, request, call),
  );
}

async function send(client: OpenAI, request: ChatRequest, call?: LlmCallHandle): Promise<string> {
  const started = performance.now();
  if (!request.stream) {
    const completion = await client.chat.completions.create(
      { model: request.model, messages: request.messages, max_tokens: request.maxTokens },
      { signal: request.signal },
    );
    const usage = usageFromOpenAIChat(completion.usage);
    if (usage) call?.setUsage(usage);
    call?.setResponse({ model: completion.model, id: completion.id, finishReasons: completion.choices.map((c) => c.finish_reason) });
    return completion.choices[0]?.message.content ?? "";
  }
  const stream = await client.chat.completions.create(
    {
      model: request.model,
      messages: request.messages,
      max_tokens: request.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    },
    { signal: request.signal },
  );
  let text = "";
  let first = true;
  const finishReasons: string[] = [];
  for await (const chunk of stream) {
    if (first) {
      call?.setTimeToFirstChunk((performance.now() - started) / 1000);
      call?.setResponse({ model: chunk.model, id: chunk.id });
      first = false;
    }
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? "";
      if (choice.finish_reason) finishReasons.push(choice.finish_reason);
    }
    const usage = chunk.usage ? usageFromOpenAIChat(chunk.usage) : undefined;
    if (usage) call?.setUsage(usage);
  }
  call?.setResponse({ finishReasons });
  return text;
}
