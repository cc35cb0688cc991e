/** Bytes per token of the capture's estimates (jotty.llm.prompt.prefix_tokens); the same rule of thumb. */
export const BYTES_PER_TOKEN = 4;
