// OpenAI's legacy Completions (`…/completions`) and Embeddings (`…/embeddings`).
import { usageFromOpenAIChat } from "../../llm/usage-adapters.js";
import { streamFlag, type LlmApiAdapter } from "../wire/api-adapter.js";
import { isObject, textPart, type Message } from "../wire/content.js";
import { OpenAIChatAccumulator } from "./openai-chat-stream.js";
import { hasOpenAIModel, matchOpenAIPath, openAIJsonBasics, summarizeChoices } from "./openai-shared.js";

export const openAICompletions: LlmApiAdapter = {
  api: "openai.completions",
  operation: "text_completion",
  defaultProvider: "openai",
  pathTails: ["completions"],
  matchPath: (path) => matchOpenAIPath(path, "/completions"),
  bodyMatches: (body, pathModel) => hasOpenAIModel(body, pathModel) && "prompt" in body,
  requestStreams: streamFlag,
  requestContent: (body) => {
    const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
    return { input: prompts.map((p) => ({ role: "user", parts: [textPart(p)] })) };
  },
  summarizeJson: (body, captureContent) => summarizeChoices(body, captureContent, (choice): Message => ({ role: "assistant", parts: [textPart(choice.text)] })),
  streamAccumulator: (captureContent) => new OpenAIChatAccumulator(captureContent, true),
  usage: usageFromOpenAIChat,
};

export const openAIEmbeddings: LlmApiAdapter = {
  api: "openai.embeddings",
  operation: "embeddings",
  defaultProvider: "openai",
  pathTails: ["embeddings"],
  matchPath: (path) => matchOpenAIPath(path, "/embeddings"),
  bodyMatches: (body, pathModel) => hasOpenAIModel(body, pathModel) && "input" in body,
  requestStreams: streamFlag,
  requestContent: () => undefined,
  // An embedding's id is not a response id.
  summarizeJson: (body) => (isObject(body) ? openAIJsonBasics(body, false) : {}),
  streamAccumulator: (captureContent) => new OpenAIChatAccumulator(captureContent, false),
  // Embeddings produce no output tokens, and their usage says so by leaving the field out.
  usage: (raw) => (isObject(raw) ? usageFromOpenAIChat({ completion_tokens: 0, ...raw }) : undefined),
};
