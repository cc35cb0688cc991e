// A deterministic stand-in tokenizer: one token per 4 characters (OpenAI's rule of thumb for
// English), rounded up. A prompt is the concatenation of `<|role|>content` for each message, so
// role markers count too and a shared message prefix is a shared token prefix.

export const CHARS_PER_TOKEN = 4;

export interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
}

export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? "").join("");
  return "";
}

/** The text the tokenizer sees for a list of chat messages. */
export function promptText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<|${m.role}|>${contentText(m.content)}`).join("");
}

/** Whole tokens shared at the start of two prompts. */
export function commonPrefixTokens(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return Math.floor(i / CHARS_PER_TOKEN);
}
