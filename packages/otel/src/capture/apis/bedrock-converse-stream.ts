// Bedrock ConverseStream events, as decoded from the AWS event-stream framing
// (eventstream-observer.ts): the `:event-type` header names the event (messageStart,
// contentBlockStart/Delta/Stop, messageStop, metadata), the JSON payload carries it. Usage arrives in the last event, `metadata`; errors arrive as exception
// messages named by their `:exception-type` (throttlingException, modelStreamErrorException, ...).
import { isObject, parseArguments, withFinishReason, type Part } from "../wire/content.js";
import { parseJsonObject, type JsonObject } from "../wire/json.js";
import type { Accumulator, ResponseSummary } from "../wire/summary.js";
import { isStreamError } from "./bedrock-paths.js";

interface Block {
  text: string;
  reasoning: string;
  tool?: { id: unknown; name: unknown; input: string };
}

export class ConverseStreamAccumulator implements Accumulator {
  readonly #summary: ResponseSummary = {};
  readonly #content: boolean;
  readonly #blocks = new Map<number, Block>();
  complete = false;
  readonly onlyTailNeeded = false;

  constructor(captureContent: boolean) {
    this.#content = captureContent;
  }

  wants(): boolean {
    return true;
  }

  event(event: string, data: string): void {
    const isBlock = event === "contentBlockStart" || event === "contentBlockDelta";
    if (isBlock && !this.#content) return;
    const failed = isStreamError(event);
    if (!(isBlock || failed || event === "messageStop" || event === "metadata")) return;
    const payload = parseJsonObject(data);
    if (payload === undefined) return;
    const summary = this.#summary;
    if (failed) {
      summary.errorType = event;
      if (typeof payload.message === "string") summary.errorMessage = payload.message;
    } else if (event === "messageStop") {
      if (typeof payload.stopReason === "string") summary.finishReasons = [payload.stopReason];
    } else if (event === "metadata") {
      if (isObject(payload.usage)) summary.rawUsage = payload.usage;
      this.complete = true;
    } else {
      this.#gather(event, payload);
    }
  }

  #gather(event: string, payload: JsonObject): void {
    const index = typeof payload.contentBlockIndex === "number" ? payload.contentBlockIndex : 0;
    let block = this.#blocks.get(index);
    if (block === undefined) this.#blocks.set(index, (block = { text: "", reasoning: "" }));
    if (event === "contentBlockStart") {
      const start = isObject(payload.start) && isObject(payload.start.toolUse) ? payload.start.toolUse : undefined;
      if (start !== undefined) block.tool = { id: start.toolUseId, name: start.name, input: "" };
      return;
    }
    const delta = isObject(payload.delta) ? payload.delta : {};
    if (typeof delta.text === "string") block.text += delta.text;
    if (isObject(delta.toolUse) && typeof delta.toolUse.input === "string" && block.tool !== undefined) block.tool.input += delta.toolUse.input;
    if (isObject(delta.reasoningContent) && typeof delta.reasoningContent.text === "string") block.reasoning += delta.reasoningContent.text;
  }

  finish(): ResponseSummary {
    const summary = this.#summary;
    if (this.#content) {
      const parts: Part[] = [];
      for (const [, block] of [...this.#blocks.entries()].sort((a, b) => a[0] - b[0])) {
        if (block.reasoning !== "") parts.push({ type: "reasoning", content: block.reasoning });
        if (block.text !== "") parts.push({ type: "text", content: block.text });
        if (block.tool !== undefined) parts.push({ type: "tool_call", id: block.tool.id, name: block.tool.name, arguments: parseArguments(block.tool.input) });
      }
      summary.outputMessages = [withFinishReason({ role: "assistant", parts }, summary.finishReasons?.[0])];
    }
    return summary;
  }
}
