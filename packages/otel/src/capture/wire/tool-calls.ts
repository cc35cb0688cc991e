// Fingerprints of the tool calls a response asks for: the tool's name and its arguments in
// canonical form (keys sorted), so the same call made again is seen without recording it.
import { hash } from "node:crypto";
import { canonicalJson } from "../prompt-hash.js";
import { isObject, parseArguments } from "./content.js";

export interface ToolCallPrint {
  name: string;
  hash: string;
}

/** Tool calls kept per response. */
const MAX_TOOL_CALLS = 32;

export function toolCallPrint(name: string, args: unknown): ToolCallPrint {
  return { name, hash: hash("sha256", name + "\u0000" + canonicalJson(parseArguments(args) ?? null), "hex").slice(0, 16) };
}

/** OpenAI Chat `message.tool_calls[].function{name, arguments}`. */
export function chatToolCalls(calls: unknown, out: ToolCallPrint[]): void {
  if (!Array.isArray(calls)) return;
  for (const call of calls) {
    if (out.length >= MAX_TOOL_CALLS) return;
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (fn !== undefined && typeof fn.name === "string") out.push(toolCallPrint(fn.name, fn.arguments));
  }
}

/** Anthropic `content[]` tool_use blocks and Responses `output[]` function_call items. */
export function blockToolCalls(blocks: unknown, out: ToolCallPrint[]): void {
  if (!Array.isArray(blocks)) return;
  for (const block of blocks) {
    if (out.length >= MAX_TOOL_CALLS) return;
    if (!isObject(block) || typeof block.name !== "string") continue;
    if (block.type === "tool_use") out.push(toolCallPrint(block.name, block.input));
    else if (block.type === "function_call") out.push(toolCallPrint(block.name, block.arguments));
  }
}
