// The streamed Chat Completions (and legacy Completions) accumulator, shared by every
// OpenAI-compatible server. Parses JSON only for the chunks that carry what the span needs.
import { errorOf, isObject, parseArguments, str, withFinishReason, type Message, type Part } from "../wire/content.js";
import { parseJsonObject, type JsonObject } from "../wire/json.js";
import type { Accumulator, ResponseSummary } from "../wire/summary.js";

/** A chunk worth parsing: a finish reason, a usage object or an error (one regex pass, far cheaper than JSON.parse). */
const NEEDED = /"(?:finish_reason|usage|error)"\s*:\s*[{"]/;
const CHAT_BLOCK = /"(?:finish_reason|usage|error)"\s*:\s*[{"]|\[DONE\]/;

interface ChoiceText {
  text: string;
  reasoning: string;
  tools: Map<number, { id?: string; name?: string; args: string }>;
}

export class OpenAIChatAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  readonly #legacy: boolean;
  readonly #choices = new Map<number, ChoiceText>();
  readonly #finish = new Map<number, string>();
  #first = true;
  complete = false;

  constructor(captureContent: boolean, legacyCompletions: boolean) {
    this.#content = captureContent;
    this.#legacy = legacyCompletions;
  }

  wants(block: string): boolean {
    return this.#first || this.#content || CHAT_BLOCK.test(block);
  }

  /** Usage and finish_reason come after a chunk's content: a huge content delta shows them in its tail. */
  wantsLargeEvent(_head: string, tail: string | undefined): boolean {
    return this.#first || this.#content || tail === undefined || NEEDED.test(tail);
  }

  get onlyTailNeeded(): boolean {
    return !this.#first && !this.#content;
  }

  event(_event: string, data: string): void {
    if (data === "[DONE]") {
      this.complete = true;
      return;
    }
    if (!(this.#first || this.#content || NEEDED.test(data))) return;
    const chunk = parseJsonObject(data);
    if (chunk === undefined) return;
    this.#first = false;
    const summary = this.#summary;
    if (isObject(chunk.error)) Object.assign(summary, errorOf(chunk.error, ["code", "type"], "error"));
    summary.id ??= str(chunk.id);
    summary.model ??= str(chunk.model);
    if (isObject(chunk.usage)) summary.rawUsage = chunk.usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices) {
      if (!isObject(choice)) continue;
      const index = typeof choice.index === "number" ? choice.index : 0;
      const reason = str(choice.finish_reason);
      if (reason !== undefined) this.#finish.set(index, reason);
      if (this.#content) this.#gather(index, choice);
    }
  }

  #gather(index: number, choice: JsonObject): void {
    let acc = this.#choices.get(index);
    if (acc === undefined) {
      acc = { text: "", reasoning: "", tools: new Map() };
      this.#choices.set(index, acc);
    }
    if (this.#legacy) {
      acc.text += str(choice.text) ?? "";
      return;
    }
    const delta = isObject(choice.delta) ? choice.delta : {};
    acc.text += str(delta.content) ?? "";
    acc.reasoning += str(delta.reasoning_content) ?? str(delta.reasoning) ?? "";
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) {
        if (!isObject(call)) continue;
        const i = typeof call.index === "number" ? call.index : 0;
        const tool = acc.tools.get(i) ?? { args: "" };
        tool.id ??= str(call.id);
        const fn = isObject(call.function) ? call.function : {};
        tool.name ??= str(fn.name);
        tool.args += str(fn.arguments) ?? "";
        acc.tools.set(i, tool);
      }
    }
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    if (this.#finish.size > 0) {
      summary.finishReasons = [...this.#finish.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    }
    if (this.#content) {
      summary.outputMessages = [...this.#choices.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([index, acc]): Message => {
          const parts: Part[] = [];
          if (acc.reasoning !== "") parts.push({ type: "reasoning", content: acc.reasoning });
          if (acc.text !== "" || acc.tools.size === 0) parts.push({ type: "text", content: acc.text });
          for (const tool of acc.tools.values()) {
            parts.push({ type: "tool_call", id: tool.id, name: tool.name, arguments: parseArguments(tool.args) });
          }
          return withFinishReason({ role: "assistant", parts }, this.#finish.get(index));
        });
    }
    return summary;
  }
}
