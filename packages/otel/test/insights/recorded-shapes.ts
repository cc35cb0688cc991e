// Answers in the providers' recorded wire shapes: the recorded fixture, with the turn's own
// message, finish reason and usage put in its fields (so every field the client reads is as
// the provider sends it).
import { fixtureJson } from "@jotty/test-kit/fixtures";

type Json = Record<string, unknown>;

export interface ChatTurn {
  content?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason: "stop" | "tool_calls" | "length";
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}

/** An OpenAI Chat Completions answer shaped like fixtures/llm/openai-chat/openai-text.json. */
export function openAIChatAnswer(turn: ChatTurn, id: string): string {
  const recorded = structuredClone(fixtureJson("openai-chat/openai-text.json")) as Json;
  const choice = (recorded.choices as Json[])[0]!;
  const message = choice.message as Json;
  message.content = turn.content ?? null;
  if (turn.toolCalls !== undefined) {
    message.tool_calls = turn.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
  }
  choice.finish_reason = turn.finishReason;
  const usage = recorded.usage as Json;
  usage.prompt_tokens = turn.promptTokens;
  usage.completion_tokens = turn.completionTokens;
  usage.total_tokens = turn.promptTokens + turn.completionTokens;
  (usage.prompt_tokens_details as Json).cached_tokens = turn.cachedTokens ?? 0;
  recorded.id = id;
  return JSON.stringify(recorded);
}

export interface MessagesTurn {
  text: string;
  inputTokens: number;
  outputTokens: number;
  cacheRead: number;
  cacheWrite: number;
}

/** An Anthropic Messages answer shaped like fixtures/llm/anthropic/anthropic-json-tool.1.json. */
export function anthropicAnswer(turn: MessagesTurn, id: string): string {
  const recorded = structuredClone(fixtureJson("anthropic/anthropic-json-tool.1.json")) as Json;
  recorded.id = id;
  recorded.content = [{ type: "text", text: turn.text }];
  recorded.stop_reason = "end_turn";
  const usage = recorded.usage as Json;
  // Anthropic's input_tokens leave out the cache reads and writes.
  usage.input_tokens = turn.inputTokens;
  usage.output_tokens = turn.outputTokens;
  usage.cache_read_input_tokens = turn.cacheRead;
  usage.cache_creation_input_tokens = turn.cacheWrite;
  (usage.cache_creation as Json).ephemeral_5m_input_tokens = turn.cacheWrite;
  return JSON.stringify(recorded);
}

/** Tokens of a request body as the replay server counts them (4 bytes a token, like the capture's estimate). */
export const tokensOf = (body: string): number => Math.ceil(Buffer.byteLength(body) / 4);
