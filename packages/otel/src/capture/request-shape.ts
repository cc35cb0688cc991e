// What the detectors need to know about a request, without its content: the fingerprint, size
// and estimated tokens of the prompt prefix at each message boundary, the size and tool of each
// tool result it carries, and max_tokens.
//
// One bounded pass over the request text finds the byte spans of the top-level prompt parts
// (tools, system, each leading message) by skipping strings with indexOf and counting brackets;
// a chain of SHA-256 digests hashes those spans in order, one link per boundary. No string of the
// request is built (substrings of a flat string are slices); the parsed body is only read for
// roles and tool results, one level into each message.
import { createHash, hash } from "node:crypto";
import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_JOTTY_LLM_PROMPT_PREFIX_BYTES,
  ATTR_JOTTY_LLM_PROMPT_PREFIX_HASHES,
  ATTR_JOTTY_LLM_PROMPT_PREFIX_KINDS,
  ATTR_JOTTY_LLM_PROMPT_PREFIX_TOKENS,
  ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_BYTES,
  ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_NAMES,
} from "@jotty/engine/semconv";
import { isObject } from "./wire/content.js";
import type { JsonObject } from "./wire/json.js";

/** Boundaries recorded per call; past it the rest of the messages close one last boundary. */
export const MAX_PREFIX_BOUNDARIES = 64;
/** Tool results recorded per call (the latest ones are kept). */
export const MAX_TOOL_RESULTS = 64;
/** Link text (in UTF-16 units) up to which a boundary's digest is one one-shot hash. */
const SMALL_LINK_CHARS = 4096;
/** Bytes per token of the estimate (the usual rule of thumb for English text and JSON). */
export const BYTES_PER_TOKEN = 4;

// Keys as the APIs name them: OpenAI Chat/Responses, Anthropic, Gemini, Bedrock Converse, Ollama.
const TOOLS_KEYS = new Set(["tools", "toolConfig", "functions"]);
const SYSTEM_KEYS = new Set(["system", "instructions", "systemInstruction", "system_instruction"]);
const MESSAGE_KEYS = new Set(["messages", "input", "contents"]);

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

interface Spans {
  tools: [number, number][];
  system: [number, number][];
  messages: [number, number][];
}

export type RequestShapeAttributes = Record<string, string[] | number[] | number>;

/** The request-shape attributes of one request; {} when the text is not a JSON object. */
export function requestShape(text: string, body: JsonObject): RequestShapeAttributes {
  const out: RequestShapeAttributes = {};
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) out[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  const spans = topLevelSpans(text);
  if (spans !== undefined) Object.assign(out, prefixAttributes(text, spans, body));
  const results = toolResults(body);
  if (results.bytes.length > 0) {
    out[ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_BYTES] = results.bytes;
    out[ATTR_JOTTY_LLM_REQUEST_TOOL_RESULT_NAMES] = results.names;
  }
  return out;
}

function maxTokensOf(body: JsonObject): number | undefined {
  const config = isObject(body.generationConfig) ? body.generationConfig : isObject(body.inferenceConfig) ? body.inferenceConfig : undefined;
  const options = isObject(body.options) ? body.options : undefined;
  for (const v of [body.max_tokens, body.max_completion_tokens, body.max_output_tokens, config?.maxOutputTokens, config?.maxTokens, options?.num_predict]) {
    if (typeof v === "number" && Number.isFinite(v) && v > 0) return v;
  }
  return undefined;
}

function prefixAttributes(text: string, spans: Spans, body: JsonObject): RequestShapeAttributes {
  const messageItems = messageArray(body);
  const ascii = Buffer.byteLength(text) === text.length;
  const bytesOf = (a: number, b: number) => (ascii ? b - a : Buffer.byteLength(text.substring(a, b)));
  // A chain of digests, each boundary's over the one before and the parts since: copying a
  // running hash at every boundary cost twice as much on long conversations. Small links are one
  // one-shot hash of a short string; large ones stream their parts (no concatenated copy).
  let digest = "";
  let since: [number, number][] = [];
  let sinceLength = 0;
  const hashes: string[] = [];
  const kinds: string[] = [];
  const bytes: number[] = [];
  const tokens: number[] = [];
  let total = 0;
  const close = (kind: string) => {
    if (sinceLength <= SMALL_LINK_CHARS) {
      let link = digest;
      for (const [a, b] of since) link += text.substring(a, b) + "\n";
      digest = hash("sha256", link, "hex");
    } else {
      const h = createHash("sha256").update(digest);
      for (const [a, b] of since) h.update(text.substring(a, b)).update("\n");
      digest = h.digest("hex");
    }
    since = [];
    sinceLength = 0;
    hashes.push(digest.slice(0, 16));
    kinds.push(kind);
    bytes.push(total);
    tokens.push(Math.ceil(total / BYTES_PER_TOKEN));
  };
  const add = (span: [number, number]) => {
    since.push(span);
    sinceLength += span[1] - span[0];
    total += bytesOf(span[0], span[1]);
  };
  for (const [part, kind] of [
    [spans.tools, "tools"],
    [spans.system, "system"],
  ] as const) {
    if (part.length === 0) continue;
    for (const span of part) add(span);
    close(kind);
  }
  const messages = spans.messages;
  for (let i = 0; i < messages.length; i++) {
    add(messages[i]!);
    const last = i === messages.length - 1;
    if (hashes.length < MAX_PREFIX_BOUNDARIES - 1 || last) close(kindOf(messageItems[i]));
  }
  if (hashes.length === 0) return {};
  return {
    [ATTR_JOTTY_LLM_PROMPT_PREFIX_HASHES]: hashes,
    [ATTR_JOTTY_LLM_PROMPT_PREFIX_KINDS]: kinds,
    [ATTR_JOTTY_LLM_PROMPT_PREFIX_BYTES]: bytes,
    [ATTR_JOTTY_LLM_PROMPT_PREFIX_TOKENS]: tokens,
  };
}

function messageArray(body: JsonObject): unknown[] {
  for (const key of MESSAGE_KEYS) if (Array.isArray(body[key])) return body[key] as unknown[];
  return [];
}

function kindOf(item: unknown): string {
  if (!isObject(item)) return "message";
  if (typeof item.role === "string") return item.role;
  if (typeof item.type === "string") return item.type;
  return "message";
}

/** Byte spans of the top-level tools, system and message parts; undefined when not an object. */
export function topLevelSpans(text: string): Spans | undefined {
  const spans: Spans = { tools: [], system: [], messages: [] };
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i++;
  for (;;) {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c !== QUOTE) return c === CLOSE_BRACE ? spans : undefined;
    const keyEnd = stringEnd(text, i);
    // Keys we look for are plain ASCII names: compare without unescaping.
    const key = keyEnd - i - 1 <= 32 ? text.substring(i + 1, keyEnd) : "";
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1);
    if (MESSAGE_KEYS.has(key) && text.charCodeAt(i) === OPEN_BRACKET && spans.messages.length === 0) {
      i = arrayElements(text, i, spans.messages);
      continue;
    }
    const end = valueEnd(text, i);
    if (TOOLS_KEYS.has(key)) spans.tools.push([i, end]);
    else if (SYSTEM_KEYS.has(key)) spans.system.push([i, end]);
    // A string `input` (Responses) is one message.
    else if (MESSAGE_KEYS.has(key) && spans.messages.length === 0 && text.charCodeAt(i) === QUOTE) spans.messages.push([i, end]);
    if (end >= text.length) return spans;
    i = end;
  }
}

/** Pushes the span of each element of the array at `i`; returns the index after the array. */
function arrayElements(text: string, i: number, out: [number, number][]): number {
  i++;
  for (;;) {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CLOSE_BRACKET || Number.isNaN(c)) return i + 1;
    const end = valueEnd(text, i);
    if (end <= i) return text.length;
    out.push([i, end]);
    i = end;
  }
}

/** The index just after the JSON value starting at `i` (a scalar ends before its delimiter). */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  const n = text.length;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (depth === 0) return i + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (c === COMMA && depth === 0) return i;
  }
  return n;
}

/** Index of the closing quote of the string opening at `i` (text.length when unterminated). */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q;
    from = q + 1;
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/**
 * Tool results in the request with the tool that produced each: OpenAI Chat and Ollama `tool`
 * messages, Anthropic `tool_result` blocks, Responses `function_call_output` items. Tool names
 * come from the earlier tool calls they answer.
 */
export function toolResults(body: JsonObject): { bytes: number[]; names: string[] } {
  const bytes: number[] = [];
  const names: string[] = [];
  const nameById = new Map<string, string>();
  const push = (content: unknown, id: unknown, name: unknown) => {
    bytes.push(contentBytes(content));
    names.push(typeof name === "string" ? name : typeof id === "string" ? (nameById.get(id) ?? "") : "");
  };
  for (const item of messageArray(body)) {
    if (!isObject(item)) continue;
    if (Array.isArray(item.tool_calls)) {
      for (const call of item.tool_calls) {
        if (isObject(call) && typeof call.id === "string" && isObject(call.function) && typeof call.function.name === "string") {
          nameById.set(call.id, call.function.name);
        }
      }
    }
    if (item.type === "function_call" && typeof item.call_id === "string" && typeof item.name === "string") nameById.set(item.call_id, item.name);
    if (item.role === "tool") push(item.content, item.tool_call_id, item.name ?? item.tool_name);
    else if (item.type === "function_call_output") push(item.output, item.call_id, undefined);
    else if (Array.isArray(item.content)) {
      for (const block of item.content) {
        if (!isObject(block)) continue;
        if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") nameById.set(block.id, block.name);
        else if (block.type === "tool_result") push(block.content, block.tool_use_id, undefined);
      }
    }
  }
  const from = Math.max(0, bytes.length - MAX_TOOL_RESULTS);
  return { bytes: bytes.slice(from), names: names.slice(from) };
}

/** UTF-8 bytes of a tool result's text: a string, or the text parts of an array of blocks. */
function contentBytes(content: unknown): number {
  if (typeof content === "string") return Buffer.byteLength(content);
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content) {
    if (typeof part === "string") n += Buffer.byteLength(part);
    else if (isObject(part) && typeof part.text === "string") n += Buffer.byteLength(part.text);
  }
  return n;
}
