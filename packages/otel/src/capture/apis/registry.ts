// Every supported LLM API, in matching order: the first whose path test passes owns the request
// (`/chat/completions` before `/completions`).
import type { LlmApiAdapter } from "../wire/api-adapter.js";
import { anthropicMessages } from "./anthropic-messages.js";
import { bedrockConverse } from "./bedrock-converse.js";
import { bedrockInvoke } from "./bedrock-invoke.js";
import { cohereChat } from "./cohere-chat.js";
import { gemini } from "./gemini.js";
import { ollamaChat, ollamaEmbed, ollamaGenerate } from "./ollama.js";
import { openAIChat } from "./openai-chat.js";
import { openAICompletions, openAIEmbeddings } from "./openai-completions.js";
import { openAIResponses } from "./openai-responses.js";

export const LLM_APIS: readonly LlmApiAdapter[] = [
  gemini,
  openAIChat,
  openAICompletions,
  openAIResponses,
  openAIEmbeddings,
  anthropicMessages,
  cohereChat,
  ollamaChat,
  ollamaGenerate,
  ollamaEmbed,
  bedrockConverse,
  bedrockInvoke,
];
