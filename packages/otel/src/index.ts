export type { LlmUsage, LlmResponseInfo, LlmOperation, LlmCallOptions, LlmCallHandle } from "./llm/types.js";
